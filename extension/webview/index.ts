/**
 * Everything the trace stepper registers in VS Code, in one call: the custom editor for
 * `*.trace.json`, the serializer that restores stepper panels after a reload, the keyboard
 * commands (`thinkscope.trace.<StepCommand>`) relayed to the active stepper, the command that
 * opens one trace of a `.jsonl`, and the one that reopens a trace file as text.
 */
import * as vscode from 'vscode';
import { isTraceViewState } from '../../protocol/traceView';
import type { TraceDocument } from '../../protocol/trace';
import { STEP_COMMANDS, type StepCommand, type TraceSourceInfo } from '../../protocol/webview';
import { TRACE_EDITOR_VIEW_TYPE, TraceEditorProvider } from './traceEditor';
import { listJsonlTraces } from './traceFile';
import { TracePanel, TRACE_PANEL_VIEW_TYPE } from './tracePanel';
import { baseName, jsonlTraceUri, readText, readTraceAt } from './traceSource';
import type { AnalyzeTrace, TraceWebview } from './traceWebview';

export { TRACE_EDITOR_VIEW_TYPE } from './traceEditor';
export { TRACE_PANEL_VIEW_TYPE, TracePanel } from './tracePanel';
export type { AnalyzeTrace, TraceViewDeps } from './traceWebview';
export { TraceWebview } from './traceWebview';

/** Command ids of the stepping keys: `thinkscope.trace.nextToken`, … */
export function stepCommandId(command: StepCommand): string {
  return `thinkscope.trace.${command}`;
}

/** Command that opens one trace of a `.jsonl` file: args (uri?: Uri, index?: number from 0). */
export const OPEN_JSONL_TRACE_COMMAND = 'thinkscope.trace.openFromJsonl';
/** Command that reopens the active trace file in the text editor: args (uri?: Uri). */
export const OPEN_AS_TEXT_COMMAND = 'thinkscope.trace.openAsText';

export interface TraceViewsOptions {
  /** Analysis for a trace (the extension passes one that asks the server). */
  analyze: AnalyzeTrace;
  /** Where problems are logged; defaults to the console. */
  log?: (message: string) => void;
}

/** What the rest of the extension uses. */
export interface TraceViews {
  /** Opens a stepper for a run about to start (pass it to the generate command as its live view). */
  openLiveView(label: string): TracePanel;
  /** Opens a stepper on a trace already in memory. */
  openTrace(trace: TraceDocument, source: TraceSourceInfo): TracePanel;
  /** Opens trace `index` of a `.jsonl` file; without an index, asks which. */
  openJsonlTrace(uri: vscode.Uri, index?: number): Promise<TracePanel | undefined>;
  /** The stepper that was active last (the one keyboard commands go to). */
  readonly activeView: TraceWebview | undefined;
}

/** Registers the stepper's editor, serializer and commands; everything is disposed with the extension. */
export function registerTraceViews(context: vscode.ExtensionContext, options: TraceViewsOptions): TraceViews {
  const log = options.log ?? ((message: string) => console.warn(message));
  const deps = { extensionUri: context.extensionUri, analyze: options.analyze, log };
  const views = new Set<TraceWebview>();
  let active: TraceWebview | undefined;

  const track = (view: TraceWebview): void => {
    views.add(view);
    if (view.panel.active) active = view;
    view.onDidChangeActive((isActive) => {
      if (isActive) active = view;
    });
    view.panel.onDidDispose(() => {
      views.delete(view);
      if (active === view) active = undefined;
    });
  };
  const open = (label: string): TracePanel => {
    const panel = TracePanel.create(deps, label);
    track(panel.view);
    active = panel.view;
    return panel;
  };

  const openJsonlTrace = async (uri: vscode.Uri, index?: number): Promise<TracePanel | undefined> => {
    let chosen = index;
    if (chosen === undefined) {
      const entries = listJsonlTraces(await readText(uri));
      if (entries.length === 0) {
        void vscode.window.showWarningMessage(`ThinkScope: ${baseName(uri)} holds no traces.`);
        return undefined;
      }
      const pick = entries.length === 1 ? { index: 0 } : await vscode.window.showQuickPick(
        entries.map((e) => ({ label: `#${e.index + 1}`, description: e.label.slice(0, 120), detail: e.error ?? e.id ?? undefined, index: e.index })),
        { title: `ThinkScope: open a trace of ${baseName(uri)}`, matchOnDescription: true },
      );
      if (!pick) return undefined;
      chosen = pick.index;
    }
    const target = jsonlTraceUri(uri, chosen);
    const panel = open(`${baseName(uri)} #${chosen + 1}`);
    try {
      const { trace, source } = await readTraceAt(target);
      panel.show(trace, source);
    } catch (error) {
      panel.fail(error instanceof Error ? error.message : String(error));
    }
    return panel;
  };

  const serializer: vscode.WebviewPanelSerializer = {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const revived = TracePanel.revive(panel, deps);
      track(revived.view);
      const uri = isTraceViewState(state) ? state.source?.uri : undefined;
      if (!uri) {
        revived.fail('This view showed a live run whose trace was not saved to a file, so it cannot be restored. Generate it again, or open a saved trace.');
        return;
      }
      try {
        const { trace, source } = await readTraceAt(vscode.Uri.parse(uri, true));
        revived.show(trace, source);
      } catch (error) {
        revived.fail(error instanceof Error ? error.message : String(error));
      }
    },
  };

  const activeTraceUri = (): vscode.Uri | undefined => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    if (input instanceof vscode.TabInputCustom && input.viewType === TRACE_EDITOR_VIEW_TYPE) return input.uri;
    const uri = active?.currentSource.uri;
    return uri ? vscode.Uri.parse(uri, true).with({ fragment: '' }) : undefined;
  };

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, new TraceEditorProvider(deps, track), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.window.registerWebviewPanelSerializer(TRACE_PANEL_VIEW_TYPE, serializer),
    ...STEP_COMMANDS.map((command) =>
      vscode.commands.registerCommand(stepCommandId(command), () => {
        const target = active ?? [...views].find((v) => v.panel.visible);
        target?.command(command);
      }),
    ),
    vscode.commands.registerCommand(OPEN_JSONL_TRACE_COMMAND, async (uri?: vscode.Uri, index?: number) => {
      let file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!file || !file.path.toLowerCase().endsWith('.jsonl')) {
        const picked = await vscode.window.showOpenDialog({ title: 'ThinkScope: open a trace of a JSONL file', filters: { 'Trace lines': ['jsonl'] }, canSelectMany: false });
        file = picked?.[0];
      }
      if (!file) return;
      await openJsonlTrace(file, typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined);
    }),
    vscode.commands.registerCommand(OPEN_AS_TEXT_COMMAND, async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : activeTraceUri();
      if (!target) return;
      await vscode.commands.executeCommand('vscode.openWith', target, 'default');
    }),
  );

  return {
    openLiveView: (label: string) => open(label),
    openTrace: (trace: TraceDocument, source: TraceSourceInfo) => {
      const panel = open(source.label);
      panel.show(trace, source);
      return panel;
    },
    openJsonlTrace,
    get activeView() {
      return active;
    },
  };
}
