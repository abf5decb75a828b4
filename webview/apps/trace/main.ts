/**
 * Entry point of the trace stepper webview (bundled to out/webview/trace.js, with its styles in
 * out/webview/trace.css). Starts the app, forwards the host's messages to it, reports uncaught
 * errors to the host, and says it is ready.
 */
import './style.css';
import { registerToolkit } from '../../toolkit';
import { webviewApi } from '../../shared/vscodeApi';
import { TraceApp } from './app';

const api = webviewApi();
registerToolkit();
const root = document.getElementById('app') ?? document.body;
const app = new TraceApp(root, api);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  performance.mark('thinkscope.message');
  app.receive(event.data);
});
window.addEventListener('error', (event: ErrorEvent) => {
  api.postMessage({ type: 'error', message: `trace view: ${event.message} (${event.filename}:${event.lineno})` });
});
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  api.postMessage({ type: 'error', message: `trace view: unhandled rejection: ${String(event.reason)}` });
});
api.postMessage({ type: 'ready' });
