/**
 * Starts the ThinkScope server (out/server.mjs) through vscode-languageclient over IPC and gives
 * typed access to its custom methods.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type CancellationToken,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { NotificationDef, RequestDef } from '../protocol/rpc';
import type { ServerSettings } from '../protocol/settings';

/** Trace documents the server provides language features for. */
export const TRACE_DOCUMENT_SELECTOR = [
  { scheme: 'file', pattern: '**/*.trace.json' },
  { scheme: 'untitled', language: 'thinkscope-trace' },
  { language: 'thinkscope-trace' },
];

export class ThinkScopeClient implements vscode.Disposable {
  readonly client: LanguageClient;

  constructor(context: vscode.ExtensionContext, settings: ServerSettings, output: vscode.OutputChannel) {
    const module = context.asAbsolutePath('out/server.mjs');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: TRACE_DOCUMENT_SELECTOR,
      initializationOptions: settings,
      outputChannel: output,
      // The server restarts after a crash; ThinkScope reports it in its own words.
      connectionOptions: { maxRestartCount: 5 },
    };
    this.client = new LanguageClient('thinkscope', 'ThinkScope', serverOptions, clientOptions);
  }

  start(): Promise<void> {
    return this.client.start();
  }

  request<P, R>(def: RequestDef<P, R>, params: P, token?: CancellationToken): Promise<R> {
    // An undefined token would be sent as a second parameter: pass one only when there is one.
    return token ? this.client.sendRequest<R>(def.method, params, token) : this.client.sendRequest<R>(def.method, params);
  }

  notify<P>(def: NotificationDef<P>, params: P): Promise<void> {
    return this.client.sendNotification(def.method, params);
  }

  onNotification<P>(def: NotificationDef<P>, handler: (params: P) => void): vscode.Disposable {
    return this.client.onNotification(def.method, handler);
  }

  dispose(): void {
    void this.client.stop();
  }
}
