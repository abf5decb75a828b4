/**
 * ThinkScope's extension entry: starts the server, registers commands, views and the status bar,
 * and relays between them. It holds no model code and no analysis (those live in the server).
 */
import * as vscode from 'vscode';
import { Methods } from '../protocol/rpc';
import type { TraceAnalysis } from '../protocol/analysis';
import type { TraceDocument } from '../protocol/trace';
import { ThinkScopeClient } from './client';
import { registerForkCommands } from './commands/forkHere';
import { registerGenerateCommand } from './commands/generateTrace';
import { registerSweepCommand } from './commands/sweep';
import { registerSweepEditor } from './webview/comparePanel';
import { readServerSettings, SECTION } from './config';
import { StatusBar } from './statusBar';
import { registerTraceViews } from './webview';

let client: ThinkScopeClient | undefined;
const API_KEY_SECRET = 'thinkscope.remote.apiKey';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('ThinkScope', { log: true });
  const cacheDir = context.globalStorageUri.fsPath;
  const statusBar = new StatusBar();
  const thinkscope = new ThinkScopeClient(context, readServerSettings(cacheDir), output);
  client = thinkscope;
  context.subscriptions.push(output, statusBar, thinkscope);

  const analyze = async (trace: TraceDocument): Promise<TraceAnalysis | undefined> => {
    try {
      return await thinkscope.request(Methods.analyze, { trace });
    } catch (error) {
      output.warn(`Analysis failed: ${(error as Error).message}`);
      return undefined;
    }
  };
  const views = registerTraceViews(context, { analyze, log: (m) => output.warn(m) });
  const openTrace = (trace: TraceDocument) => void views.openTrace(trace, { label: trace.question.slice(0, 40) });

  context.subscriptions.push(
    thinkscope.onNotification(Methods.statusChanged, (status) => statusBar.update(status)),
    registerGenerateCommand({ client: thinkscope, statusBar, openLiveView: (label) => views.openLiveView(label) }),
    vscode.commands.registerCommand('thinkscope.showStatus', async () => {
      const status = await thinkscope.request(Methods.status, {});
      statusBar.update(status);
      output.show(true);
      output.info(`Status: ${JSON.stringify(status)}`);
    }),
    vscode.commands.registerCommand('thinkscope.restartServer', async () => {
      await thinkscope.client.restart();
      void vscode.window.setStatusBarMessage('ThinkScope: server restarted', 4000);
    }),
    vscode.commands.registerCommand('thinkscope.selectModel', async () => {
      const picked = await vscode.window.showOpenDialog({
        title: 'ThinkScope: choose a GGUF model',
        filters: { 'GGUF models': ['gguf'] },
        canSelectMany: false,
      });
      if (!picked?.[0]) return;
      await vscode.workspace
        .getConfiguration(SECTION)
        .update('model.path', picked[0].fsPath, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('thinkscope.openTrace', (trace: TraceDocument) =>
      views.openTrace(trace, { label: trace.question.slice(0, 40) }),
    ),
    registerForkCommands({
      client: thinkscope,
      openLiveView: (label) => views.openLiveView(label),
      openTrace: (trace, source) => views.openTrace(trace, source),
    }),
    registerSweepCommand({ client: thinkscope, extensionUri: context.extensionUri, openTrace, analyze, log: (m) => output.warn(m) }),
    registerSweepEditor({ extensionUri: context.extensionUri, openTrace, analyze, log: (m) => output.warn(m) }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) void thinkscope.notify(Methods.configure, readServerSettings(cacheDir));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void thinkscope.notify(Methods.configure, readServerSettings(cacheDir))),
  );

  const sendCredentials = async () => {
    const apiKey = await context.secrets.get(API_KEY_SECRET);
    await thinkscope.notify(Methods.setCredentials, apiKey ? { apiKey } : {});
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('thinkscope.setRemoteApiKey', async () => {
      const apiKey = await vscode.window.showInputBox({
        title: 'ThinkScope: API key of the remote engine',
        prompt: 'Stored in VS Code\'s secret storage; empty removes it',
        password: true,
        ignoreFocusOut: true,
      });
      if (apiKey === undefined) return;
      if (apiKey) await context.secrets.store(API_KEY_SECRET, apiKey);
      else await context.secrets.delete(API_KEY_SECRET);
      await sendCredentials();
    }),
  );

  await thinkscope.start();
  await sendCredentials();
  statusBar.update(await thinkscope.request(Methods.status, {}));
}

export async function deactivate(): Promise<void> {
  await client?.client.stop();
}
