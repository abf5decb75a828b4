/**
 * Entry point of the budget comparison webview (bundled to out/webview/compare.js, with its styles
 * in out/webview/compare.css). Starts the app, forwards the host's messages to it, reports
 * uncaught errors to the host, and says it is ready.
 */
import './style.css';
import { registerToolkit } from '../../toolkit';
import { webviewApi } from '../../shared/vscodeApi';
import { CompareApp } from './app';

const api = webviewApi();
registerToolkit();
const root = document.getElementById('app') ?? document.body;
const app = new CompareApp(root, api);

window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
window.addEventListener('error', (event: ErrorEvent) => {
  api.postMessage({ type: 'error', message: `compare view: ${event.message} (${event.filename}:${event.lineno})` });
});
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  api.postMessage({ type: 'error', message: `compare view: unhandled rejection: ${String(event.reason)}` });
});
api.postMessage({ type: 'ready' });
