/**
 * Starts the built server (out/server.mjs) over stdio and talks JSON-RPC to it, the way any LSP
 * client does. For protocol tests and benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { NotificationDef, RequestDef } from '../../protocol/rpc';
import type { ServerSettings } from '../../protocol/settings';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SERVER_BUNDLE = join(ROOT, 'out', 'server.mjs');

export interface ServerSession {
  child: ChildProcess;
  connection: MessageConnection;
  stderr: () => string;
  request<P, R>(def: RequestDef<P, R>, params: P, cancel?: CancellationTokenSource): Promise<R>;
  onNotification<P>(def: NotificationDef<P>, handler: (params: P) => void): void;
  close(): Promise<void>;
}

export async function startServer(settings: Partial<ServerSettings>): Promise<ServerSession> {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`node scripts/build.mjs\``);
  const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: settings,
  });
  await connection.sendNotification('initialized', {});
  return {
    child,
    connection,
    stderr: () => stderr,
    // An undefined token would be sent as a second parameter: pass one only when there is one.
    request: <P, R>(def: RequestDef<P, R>, params: P, cancel?: CancellationTokenSource) =>
      cancel ? connection.sendRequest<R>(def.method, params, cancel.token) : connection.sendRequest<R>(def.method, params),
    onNotification: <P>(def: NotificationDef<P>, handler: (params: P) => void) => {
      connection.onNotification(def.method, handler);
    },
    close: async () => {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        void connection.sendNotification('exit');
      } catch {
        // Already gone.
      }
      connection.dispose();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

export { CancellationTokenSource };
