/**
 * "Fork here" and "Step from here" (code lenses on trace files, and the stepper): regenerate from
 * a token of a trace with other settings, or open the stepper at that token.
 */
import * as vscode from 'vscode';
import { Methods, type RunProgress, type RunStarted } from '../../protocol/rpc';
import type { BudgetSettings, TraceDocument } from '../../protocol/trace';
import type { TraceSourceInfo } from '../../protocol/webview';
import type { ThinkScopeClient } from '../client';
import { readTraceAt } from '../webview/traceSource';
import type { LiveTraceView } from './generateTrace';

interface PositionArgs {
  uri: string;
  token: number;
}

function isPositionArgs(value: unknown): value is PositionArgs {
  const v = value as PositionArgs;
  return typeof v === 'object' && v !== null && typeof v.uri === 'string' && Number.isInteger(v.token) && v.token >= 0;
}

export interface ForkDeps {
  client: ThinkScopeClient;
  openLiveView(label: string): LiveTraceView;
  openTrace(trace: TraceDocument, source: TraceSourceInfo): void;
}

export function registerForkCommands(deps: ForkDeps): vscode.Disposable {
  const live = new Map<string, LiveTraceView>();
  let counter = 0;
  return vscode.Disposable.from(
    deps.client.onNotification(Methods.runStarted, (p: RunStarted) => live.get(p.runId)?.start(p.trace)),
    deps.client.onNotification(Methods.runProgress, (p: RunProgress) => live.get(p.runId)?.progress(p)),
    vscode.commands.registerCommand('thinkscope.stepFromHere', async (args: unknown) => {
      if (!isPositionArgs(args)) return;
      const uri = vscode.Uri.parse(args.uri, true);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'thinkscope.traceEditor');
    }),
    vscode.commands.registerCommand('thinkscope.forkHere', async (args: unknown) => {
      if (!isPositionArgs(args)) return;
      const { trace } = await readTraceAt(vscode.Uri.parse(args.uri, true));
      const budget = await askForkBudget(trace.budget);
      if (!budget) return;
      const runId = `fork-${Date.now()}-${++counter}`;
      const view = deps.openLiveView(`fork @${args.token}: ${trace.question.slice(0, 30)}`);
      live.set(runId, view);
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `ThinkScope: forking at token ${args.token}`, cancellable: true },
          (_progress, token) => deps.client.request(Methods.fork, { runId, trace, forkAt: args.token, budget }, token),
        );
        view.finish(result.trace, result.path);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        view.fail(message);
        void vscode.window.showErrorMessage(`ThinkScope: ${message}`);
      } finally {
        live.delete(runId);
      }
    }),
  );
}

async function askForkBudget(current: BudgetSettings): Promise<Partial<BudgetSettings> | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Same settings', budget: {} as Partial<BudgetSettings> },
      { label: 'End thinking here', description: 'force the answer now', budget: { maxThinkingTokens: 0, minThinkingTokens: 0 } },
      { label: 'Keep thinking', description: `suppress ${(current.ignoreEnd ?? 0) + 1} end(s) with "${current.extendWith}"`, budget: { ignoreEnd: (current.ignoreEnd ?? 0) + 1, maxThinkingTokens: null } },
      { label: 'Extend with "Hmm"', budget: { extendWith: 'Hmm', ignoreEnd: (current.ignoreEnd ?? 0) + 1, maxThinkingTokens: null } },
      { label: 'Extend with "Alternatively"', budget: { extendWith: 'Alternatively', ignoreEnd: (current.ignoreEnd ?? 0) + 1, maxThinkingTokens: null } },
    ],
    { title: 'ThinkScope: fork with which budget?' },
  );
  return pick?.budget;
}
