/**
 * The VS Code webview API, acquired once. `acquireVsCodeApi` may be called only once per page;
 * every part of an app goes through `webviewApi()`.
 */

/** What the webview host offers: messages to the extension and a state that survives reloads. */
export interface WebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare global {
  /** Injected by VS Code into every webview. */
  function acquireVsCodeApi(): WebviewApi<unknown>;
}

let api: WebviewApi<unknown> | undefined;

/** The page's webview API; throws a clear error when the page is not running in a webview. */
export function webviewApi(): WebviewApi<unknown> {
  if (api) return api;
  if (typeof acquireVsCodeApi !== 'function') {
    throw new Error('acquireVsCodeApi is not defined: this page must run inside a VS Code webview');
  }
  api = acquireVsCodeApi();
  return api;
}
