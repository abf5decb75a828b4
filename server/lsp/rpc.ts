/** Typed registration and sending of ThinkScope's custom JSON-RPC methods (protocol/rpc.ts). */
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { NotificationDef, RequestDef } from '../../protocol/rpc';

export function onRequest<P, R>(
  connection: Connection,
  def: RequestDef<P, R>,
  handler: (params: P, token: CancellationToken) => Promise<R>,
): void {
  connection.onRequest(def.method, (params: P, token: CancellationToken) => handler(params, token));
}

export function onNotification<P>(connection: Connection, def: NotificationDef<P>, handler: (params: P) => void): void {
  connection.onNotification(def.method, (params: P) => handler(params));
}

export function sendNotification<P>(connection: Connection, def: NotificationDef<P>, params: P): void {
  void connection.sendNotification(def.method, params);
}

/** An AbortSignal that fires when the LSP request is cancelled. */
export function abortSignalFor(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
