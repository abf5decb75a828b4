/**
 * "ThinkScope: Budget Sweep" (`thinkscope.budgetSweep`): asks for a question (and an optional
 * ground truth), the thinking budgets, the Wait counts, the extension strings and the mode, then
 * runs the sweep on the server with progress and Cancel, shows the cells in a compare panel as
 * they finish, and saves the sweep to `<workspace>/.thinkscope/sweeps/<time>-<slug>.sweep.json`.
 *
 * The command also takes its answers as an argument (BudgetSweepArgs), for keybindings and
 * scripts; whatever the argument leaves out is asked for.
 */
import * as vscode from 'vscode';
import type { TraceAnalysis } from '../../protocol/analysis';
import type { SweepOutline } from '../../protocol/compareView';
import { Methods, type ServerErrorData } from '../../protocol/rpc';
import type { SweepDocument, SweepMode, SweepParams, SweepProgress } from '../../protocol/sweep';
import {
  parseBudgetList,
  parseExtensionList,
  parseWaitCountList,
  sweepFileName,
  type ListParse,
} from '../../protocol/sweepInput';
import type { TraceDocument } from '../../protocol/trace';
import type { ThinkScopeClient } from '../client';
import { ComparePanel, readSweepFile } from '../webview/comparePanel';

/** The command's id. */
export const BUDGET_SWEEP_COMMAND = 'thinkscope.budgetSweep';

/** What the sweep command needs from the rest of the extension. */
export interface SweepCommandDeps {
  client: ThinkScopeClient;
  extensionUri: vscode.Uri;
  /** Opens a trace in the stepper, at a token when one is given. */
  openTrace(trace: TraceDocument, token?: number): void;
  /** The server's analysis of a trace; undefined when it cannot be had. */
  analyze(trace: TraceDocument): Promise<TraceAnalysis | undefined>;
  /** Where problems the compare view reports are logged. */
  log?(message: string): void;
}

/** The command's answers given up front; each one left out is asked for. */
export interface BudgetSweepArgs {
  question?: string;
  /** null or "": no ground truth. */
  groundTruth?: string | null;
  budgets?: Array<number | null>;
  waitCounts?: number[];
  extendWith?: string[];
  mode?: SweepMode;
}

/** The defaults offered in the input boxes. */
export const SWEEP_DEFAULTS = {
  budgets: '64, 128, 256, 512, 1024',
  waitCounts: '0',
  extendWith: 'Wait',
} as const;

let runCounter = 0;

/** Registers `thinkscope.budgetSweep`; dispose the result to unregister it. */
export function registerSweepCommand(deps: SweepCommandDeps): vscode.Disposable {
  return vscode.commands.registerCommand(BUDGET_SWEEP_COMMAND, async (args?: BudgetSweepArgs) => {
    const answers = await askForSweep(args ?? {});
    if (!answers) return;
    await runSweepInPanel(deps, answers);
  });
}

/** Everything a sweep needs, as the user gave it. */
interface SweepAnswers {
  question: string;
  groundTruth: string | null;
  budgets: Array<number | null>;
  waitCounts: number[];
  extendWith: string[];
  mode: SweepMode;
}

/** Asks for what `given` leaves out; undefined when the user gives up. */
async function askForSweep(given: BudgetSweepArgs): Promise<SweepAnswers | undefined> {
  const title = 'ThinkScope: Budget Sweep';
  const question = given.question ?? (await vscode.window.showInputBox({
    title: `${title} (1/6): question`,
    prompt: 'The question the model answers at every budget',
    placeHolder: 'e.g. How many r are in raspberry?',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? null : 'Type a question'),
  }));
  if (!question?.trim()) return undefined;
  let groundTruth: string | null;
  if (given.groundTruth !== undefined) {
    groundTruth = given.groundTruth === null || given.groundTruth.trim() === '' ? null : given.groundTruth.trim();
  } else {
    const typed = await vscode.window.showInputBox({
      title: `${title} (2/6): ground truth`,
      prompt: 'The correct answer, to judge each cell (leave empty for none)',
      placeHolder: 'e.g. 3',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    groundTruth = typed.trim() === '' ? null : typed.trim();
  }
  const budgets = given.budgets ?? (await askList(`${title} (3/6): thinking budgets`, 'Maximum thinking tokens, separated by commas ("none": no maximum)', SWEEP_DEFAULTS.budgets, parseBudgetList));
  if (!budgets) return undefined;
  const waitCounts = given.waitCounts ?? (await askList(`${title} (4/6): Wait counts`, 'How many times the end of thinking is suppressed, separated by commas', SWEEP_DEFAULTS.waitCounts, parseWaitCountList));
  if (!waitCounts) return undefined;
  const extendWith = given.extendWith ?? (await askList(`${title} (5/6): extension strings`, 'Appended when an end of thinking is suppressed, separated by commas (quote a string that holds a comma)', SWEEP_DEFAULTS.extendWith, parseExtensionList));
  if (!extendWith) return undefined;
  const mode = given.mode ?? (await askMode(`${title} (6/6): mode`));
  if (!mode) return undefined;
  return { question: question.trim(), groundTruth, budgets, waitCounts, extendWith, mode };
}

async function askList<T>(title: string, prompt: string, value: string, parse: (text: string) => ListParse<T>): Promise<T[] | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parse(text);
      return parsed.ok ? null : parsed.error;
    },
  });
  if (typed === undefined) return undefined;
  const parsed = parse(typed);
  return parsed.ok ? parsed.values : undefined;
}

interface ModeItem extends vscode.QuickPickItem {
  mode: SweepMode;
}

async function askMode(title: string): Promise<SweepMode | undefined> {
  const items: ModeItem[] = [
    {
      label: '$(git-merge) Shared prefix',
      description: 'generate the longest line once, branch off each budget',
      detail: 'Costs about the longest run plus the answers; with greedy decoding each cell is exactly a separate run.',
      mode: 'shared',
    },
    {
      label: '$(repo-forked) Naive',
      description: 'run every cell from scratch',
      detail: 'One full generation per cell, as s1\'s scripts do; for comparison.',
      mode: 'naive',
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'How should the sweep run?', ignoreFocusOut: true });
  return pick?.mode;
}

/** `<workspace>/.thinkscope/sweeps/<time>-<slug>.sweep.json`, or none without a file workspace. */
function sweepPath(question: string): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  return vscode.Uri.joinPath(folder.uri, '.thinkscope', 'sweeps', sweepFileName(question, new Date())).fsPath;
}

/** Runs a sweep with progress and Cancel, feeding a new compare panel as cells finish. */
async function runSweepInPanel(deps: SweepCommandDeps, answers: SweepAnswers): Promise<void> {
  const runId = `sweep-${Date.now()}-${++runCounter}`;
  const outline: SweepOutline = {
    question: answers.question,
    groundTruth: answers.groundTruth,
    budgets: answers.budgets,
    waitCounts: answers.waitCounts,
    extendWith: answers.extendWith,
    mode: answers.mode,
  };
  const panel = ComparePanel.open(deps, answers.question);
  panel.start(outline);
  const outPath = sweepPath(answers.question);
  const params: SweepParams = {
    runId,
    question: answers.question,
    groundTruth: answers.groundTruth,
    budgets: answers.budgets,
    waitCounts: answers.waitCounts,
    extendWith: answers.extendWith,
    mode: answers.mode,
    ...(outPath ? { outPath } : {}),
  };
  let cancelled = false;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'ThinkScope: budget sweep', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          cancelled = true;
        });
        let reported = 0;
        const sub = deps.client.onNotification(Methods.sweepProgress, (p: SweepProgress) => {
          if (p.runId !== runId) return;
          panel.progress(p);
          const increment = p.total > 0 ? ((p.done - reported) / p.total) * 100 : 0;
          reported = p.done;
          progress.report({ increment, message: `${p.done} / ${p.total} cells` });
        });
        try {
          return await deps.client.request(Methods.sweep, params, token);
        } finally {
          sub.dispose();
        }
      },
    );
    // A cancelled request may come back empty; the sweep file then holds what finished.
    const sweep = result?.sweep ?? (await savedSweep(outPath));
    if (!sweep) {
      panel.fail(cancelled ? 'Cancelled before any cell was saved' : 'The server returned no sweep');
      return;
    }
    panel.finish(sweep, result?.path ?? outPath);
    reportDone(sweep, result?.path ?? outPath);
  } catch (error) {
    if (cancelled || errorCode(error) === 'cancelled') {
      const sweep = await savedSweep(outPath);
      if (sweep) {
        panel.finish(sweep, outPath);
        reportDone(sweep, outPath);
      } else {
        panel.fail('Cancelled before any cell was saved');
      }
      return;
    }
    const message = errorMessage(error);
    panel.fail(message);
    const isModel = errorCode(error) === 'model-file' || errorCode(error) === 'model-load';
    const action = await vscode.window.showErrorMessage(`ThinkScope: budget sweep failed: ${message}`, ...(isModel ? ['Open Settings'] : []));
    if (action === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'thinkscope.model.path');
  }
}

/** The sweep file the server wrote, when there is one and it reads. */
async function savedSweep(path: string | undefined): Promise<SweepDocument | undefined> {
  if (!path) return undefined;
  try {
    return await readSweepFile(vscode.Uri.file(path));
  } catch {
    return undefined;
  }
}

function reportDone(sweep: SweepDocument, path: string | undefined): void {
  const done = sweep.cells.filter((c) => c.status === 'done').length;
  const where = path ? ` Saved to ${vscode.workspace.asRelativePath(path)}.` : '';
  const time = sweep.timing ? ` in ${(sweep.timing.durationMs / 1000).toFixed(1)} s` : '';
  const end = sweep.status === 'cancelled' ? 'Sweep cancelled' : sweep.status === 'failed' ? 'Sweep failed' : 'Sweep done';
  void vscode.window.setStatusBarMessage(`ThinkScope: ${end}: ${done} / ${sweep.cells.length} cells${time}.${where}`, 8000);
}

function errorCode(error: unknown): ServerErrorData['code'] | undefined {
  if (error instanceof vscode.CancellationError) return 'cancelled';
  const data = (error as { data?: ServerErrorData } | null)?.data;
  const code = (error as { code?: number } | null)?.code;
  // -32800: the request was cancelled (LSP RequestCancelled).
  if (code === -32800) return 'cancelled';
  return data?.code;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
