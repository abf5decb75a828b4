/**
 * Webview pages and options for ThinkScope's webview apps. Scripts and styles come from
 * out/webview (the bundles the build writes), which is also the only folder a webview may load
 * local resources from.
 */
import * as vscode from 'vscode';
import { buildWebviewHtml, createNonce } from './htmlTemplate';

/** The webview apps the build produces (webview/apps/<name>/main.ts → out/webview/<name>.js). */
export type WebviewAppName = 'trace' | (string & {});

export interface RenderWebviewHtmlOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  app: WebviewAppName;
  title: string;
}

/** The folder webviews load their resources from: out/webview in the extension. */
export function webviewResourceRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'out', 'webview');
}

/** Options for a ThinkScope webview: scripts on, local resources from out/webview only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewResourceRoot(extensionUri)] };
}

/** The page of webview app `app`, with a strict CSP and a fresh nonce. */
export function renderWebviewHtml(options: RenderWebviewHtmlOptions): string {
  const { webview, extensionUri, app, title } = options;
  const root = webviewResourceRoot(extensionUri);
  const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...path)).toString();
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    title,
    scriptUri: asset(`${app}.js`),
    styleUris: [asset('codicons', 'codicon.css'), asset(`${app}.css`)],
  });
}
