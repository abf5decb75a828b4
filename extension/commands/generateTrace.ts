/**
 * "ThinkScope: Generate Trace": asks for a question and a budget, streams the trace into a live
 * view while VS Code shows progress with Cancel, and saves the finished trace in the workspace.
 */
import * as vscode from 'vscode';
import { Methods, type RunProgress, type RunStarted, type ServerErrorData } from '../../protocol/rpc';
import type { BudgetSettings, TraceDocument } from '../../protocol/trace';
import type { ThinkScopeClient } from '../client';
import type { StatusBar } from '../statusBar';

/** A view that shows a run as it streams (the stepper in live mode). */
export interface LiveTraceView {
  start(header: TraceDocument): void;
  progress(progress: RunProgress): void;
  finish(trace: TraceDocument, path?: string): void;
  fail(message: string): void;
}

interface BudgetPreset extends vscode.QuickPickItem {
  budget: Partial<BudgetSettings> | 'custom';
}

const PRESETS: BudgetPreset[] = [
  { label: '$(settings-gear) As configured', description: 'thinkscope.budget.* settings', budget: {} },
  {
    label: '$(debug-step-out) Cap thinking',
    description: 'force "Final Answer:" after 64 thinking tokens',
    budget: { maxThinkingTokens: 64 },
  },
  {
    label: '$(debug-restart) Keep thinking',
    description: 'suppress the first 2 ends of thinking, append "Wait"',
    budget: { ignoreEnd: 2 },
  },
  {
    label: '$(watch) Minimum 200 tokens',
    description: 'suppress ends of thinking until 200 thinking tokens',
    budget: { minThinkingTokens: 200 },
  },
  { label: '$(edit) Custom…', description: 'type the budgets', budget: 'custom' },
];

let runCounter = 0;

export interface GenerateDeps {
  client: ThinkScopeClient;
  statusBar: StatusBar;
  openLiveView(label: string): LiveTraceView;
}

export function registerGenerateCommand(deps: GenerateDeps): vscode.Disposable {
  const runs = new Map<string, LiveTraceView>();
  const started = deps.client.onNotification(Methods.runStarted, (p: RunStarted) => runs.get(p.runId)?.start(p.trace));
  const progressed = deps.client.onNotification(Methods.runProgress, (p: RunProgress) => {
    runs.get(p.runId)?.progress(p);
    deps.statusBar.setSpeed(p.tokensPerSecond);
  });
  const command = vscode.commands.registerCommand('thinkscope.generateTrace', async (question?: string) => {
    question ??= await vscode.window.showInputBox({
      title: 'ThinkScope: Generate Trace',
      prompt: 'The question the model should think about',
      placeHolder: 'e.g. How many r are in raspberry?',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? null : 'Type a question'),
    });
    if (!question?.trim()) return;
    const budget = await pickBudget();
    if (budget === undefined) return;
    const runId = `run-${Date.now()}-${++runCounter}`;
    const view = deps.openLiveView(`live: ${question.slice(0, 40)}`);
    runs.set(runId, view);
    const outPath = tracePath(question);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'ThinkScope: generating', cancellable: true },
        (progress, token) => {
          const sub = deps.client.onNotification(Methods.runProgress, (p: RunProgress) => {
            if (p.runId === runId) progress.report({ message: `${p.thinkingTokens} thinking, ${p.answerTokens} answer tokens` });
          });
          return deps.client
            .request(Methods.generate, { runId, question, budget, ...(outPath ? { outPath } : {}) }, token)
            .finally(() => sub.dispose());
        },
      );
      view.finish(result.trace, result.path);
      const where = result.path ? ` Saved to ${vscode.workspace.asRelativePath(result.path)}.` : '';
      const end = result.trace.stopReason === 'cancelled' ? 'Cancelled' : 'Done';
      void vscode.window.setStatusBarMessage(
        `ThinkScope: ${end}: ${result.trace.thinkingTokens} thinking + ${result.trace.answerTokens} answer tokens.${where}`,
        8000,
      );
    } catch (error) {
      const message = errorMessage(error);
      view.fail(message);
      const isModel = errorCode(error) === 'model-file' || errorCode(error) === 'model-load';
      const action = await vscode.window.showErrorMessage(`ThinkScope: ${message}`, ...(isModel ? ['Open Settings'] : []));
      if (action === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'thinkscope.model.path');
    } finally {
      runs.delete(runId);
      deps.statusBar.setSpeed(null);
    }
  });
  return vscode.Disposable.from(command, started, progressed);
}

async function pickBudget(): Promise<Partial<BudgetSettings> | undefined> {
  const ask = vscode.workspace.getConfiguration('thinkscope').get<boolean>('generate.askForBudget', true);
  if (!ask) return {};
  const pick = await vscode.window.showQuickPick(PRESETS, {
    title: 'ThinkScope: thinking budget',
    placeHolder: 'How should thinking be steered?',
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.budget !== 'custom') return pick.budget;
  const count = (v: string) => (v === '' || (Number.isInteger(Number(v)) && Number(v) >= 0) ? null : 'A whole number ≥ 0, or empty');
  const max = await vscode.window.showInputBox({ title: 'Maximum thinking tokens (empty: none)', validateInput: count });
  if (max === undefined) return undefined;
  const min = await vscode.window.showInputBox({ title: 'Minimum thinking tokens (empty: 0)', validateInput: count });
  if (min === undefined) return undefined;
  const extendWith = await vscode.window.showInputBox({ title: 'Text to append when an end is suppressed', value: 'Wait' });
  if (extendWith === undefined) return undefined;
  return {
    maxThinkingTokens: max === '' ? null : Number(max),
    minThinkingTokens: min === '' ? 0 : Number(min),
    extendWith: extendWith || 'Wait',
  };
}

/** `<workspace>/.thinkscope/traces/<time>-<question>.trace.json`, or none without a workspace. */
function tracePath(question: string): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const slug = question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'trace';
  const time = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return vscode.Uri.joinPath(folder.uri, '.thinkscope', 'traces', `${time}-${slug}.trace.json`).fsPath;
}

function errorCode(error: unknown): ServerErrorData['code'] | undefined {
  const data = (error as { data?: ServerErrorData }).data;
  return data?.code;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
