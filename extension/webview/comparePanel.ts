/**
 * Hosts the budget comparison view (webview/apps/compare): in a panel for a sweep that is running
 * (fed by the sweep command), and as the read-only custom editor `thinkscope.sweepEditor` for
 * `*.sweep.json` files (reloaded when the file changes, e.g. while a sweep writes it).
 *
 * The host keeps the sweep as far as it got and replays it whenever the view (re)starts, answers
 * the view's requests for analyses (through the server, cached per trace), and opens traces in the
 * stepper by running `thinkscope.openTrace` with `(trace: TraceDocument, token?: number)`.
 * Messages from the view are checked with parseCompareViewOutbound before anything is done.
 *
 * The extension's package.json contributes the editor:
 * ```json
 * "customEditors": [{
 *   "viewType": "thinkscope.sweepEditor",
 *   "displayName": "ThinkScope Budget Sweep",
 *   "selector": [{ "filenamePattern": "*.sweep.json" }],
 *   "priority": "default"
 * }]
 * ```
 */
import * as vscode from 'vscode';
import type { TraceAnalysis } from '../../protocol/analysis';
import {
  cellKeyString,
  parseCompareViewOutbound,
  planCellKeys,
  type CompareSourceInfo,
  type CompareViewInbound,
  type CompareViewOutbound,
  type SweepOutline,
} from '../../protocol/compareView';
import type { SweepDocument, SweepProgress } from '../../protocol/sweep';
import { parseSweepDocument } from '../../protocol/sweepFile';
import type { TraceDocument } from '../../protocol/trace';
import { renderWebviewHtml, webviewOptions } from './html';

/** The command that opens a trace in the stepper, and its arguments `(trace, token?)`. */
export const OPEN_TRACE_COMMAND = 'thinkscope.openTrace';

/** The custom editor of sweep files. */
export const SWEEP_EDITOR_VIEW_TYPE = 'thinkscope.sweepEditor';

/** The webview panel type of live sweeps. */
export const COMPARE_PANEL_VIEW_TYPE = 'thinkscope.compare';

/** What the compare view's host needs from the rest of the extension. */
export interface ComparePanelDeps {
  extensionUri: vscode.Uri;
  /** Opens a trace in the stepper, at a token when one is given (see openTraceInStepper). */
  openTrace(trace: TraceDocument, token?: number): void;
  /** The server's analysis of a trace; undefined when it cannot be had. */
  analyze(trace: TraceDocument): Promise<TraceAnalysis | undefined>;
  /** Where problems the view reports are logged; the extension host console when omitted. */
  log?(message: string): void;
}

/** Opens a trace in the stepper by running `thinkscope.openTrace` with `(trace, token?)`. */
export function openTraceInStepper(trace: TraceDocument, token?: number): void {
  void vscode.commands.executeCommand(OPEN_TRACE_COMMAND, trace, ...(token === undefined ? [] : [token]));
}

/** The sweep as the host knows it: a live outline with the cells done so far, or a document. */
type SweepState =
  | { kind: 'none' }
  | { kind: 'live'; outline: SweepOutline; progress: SweepProgress[] }
  | { kind: 'document'; sweep: SweepDocument; live: boolean; path?: string };

/**
 * One compare view and the sweep it shows. Replays the sweep when the view says it is ready,
 * routes the view's messages, and caches analyses by trace id.
 */
export class CompareSession implements vscode.Disposable {
  private state: SweepState = { kind: 'none' };
  private failure: string | null = null;
  private readonly analyses = new Map<string, Promise<TraceAnalysis | undefined>>();
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly deps: ComparePanelDeps,
    private source: CompareSourceInfo,
  ) {
    this.subscription = webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  /** A live sweep started with these axes. */
  start(outline: SweepOutline): void {
    this.state = { kind: 'live', outline, progress: [] };
    this.failure = null;
    this.post({ type: 'start', outline, source: this.source });
  }

  /** A cell of the live sweep finished. */
  progress(progress: SweepProgress): void {
    if (this.state.kind !== 'live') return;
    this.state.progress.push(progress);
    this.post({ type: 'progress', progress });
  }

  /** The live sweep ended (done or cancelled) with this document, saved at `path` (as shown) when it was. */
  finish(sweep: SweepDocument, path?: string): void {
    this.state = { kind: 'document', sweep, live: false, ...(path ? { path } : {}) };
    this.post({ type: 'finished', sweep, ...(path ? { path } : {}) });
  }

  /** The live sweep failed, or the file could not be read; the cells already shown stay. */
  fail(message: string): void {
    this.failure = message;
    this.post({ type: 'failed', message });
  }

  /** Shows a whole sweep document (from a file); `live` when the file is still being written. */
  load(sweep: SweepDocument, source: CompareSourceInfo, live: boolean): void {
    this.source = source;
    this.state = { kind: 'document', sweep, live };
    this.failure = null;
    this.post({ type: 'load', sweep, source, live });
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }

  private post(message: CompareViewInbound): void {
    if (this.disposed) return;
    void this.webview.postMessage(message);
  }

  /** Everything the view needs to show the sweep as it is now. */
  private replay(): void {
    const state = this.state;
    if (state.kind === 'live') {
      this.post({ type: 'start', outline: state.outline, source: this.source });
      for (const progress of state.progress) this.post({ type: 'progress', progress });
    } else if (state.kind === 'document') {
      this.post({ type: 'load', sweep: state.sweep, source: this.source, live: state.live });
      if (state.path) this.post({ type: 'finished', sweep: state.sweep, path: state.path });
    }
    if (this.failure !== null) this.post({ type: 'failed', message: this.failure });
  }

  private receive(raw: unknown): void {
    let message: CompareViewOutbound;
    try {
      message = parseCompareViewOutbound(raw);
    } catch (error) {
      this.log(`ThinkScope compare view: ignored a message: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.replay();
        break;
      case 'openTrace': {
        const trace = this.trace(message.traceId);
        if (!trace) {
          this.log(`ThinkScope compare view: no trace ${JSON.stringify(message.traceId)} in this sweep`);
          return;
        }
        const token = message.token !== undefined && message.token <= trace.tokens.length ? message.token : undefined;
        this.deps.openTrace(trace, token);
        break;
      }
      case 'requestAnalysis':
        for (const id of message.traceIds) this.sendAnalysis(id);
        break;
      case 'selectCells':
        for (const index of [message.a, message.b]) {
          const id = this.traceIdOfCell(index);
          if (id) this.sendAnalysis(id);
        }
        break;
      case 'error':
        this.log(`ThinkScope ${message.message}`);
        break;
    }
  }

  /** A trace of the sweep by id. */
  private trace(id: string): TraceDocument | undefined {
    const state = this.state;
    if (state.kind === 'document') return state.sweep.traces.find((t) => t.id === id);
    if (state.kind === 'live') return state.progress.find((p) => p.trace?.id === id)?.trace ?? undefined;
    return undefined;
  }

  /** The trace id of the cell at `index` in the sweep's cell order, once it is done. */
  private traceIdOfCell(index: number): string | null {
    const state = this.state;
    if (state.kind === 'document') return state.sweep.cells[index]?.traceId ?? null;
    if (state.kind === 'live') {
      const key = planCellKeys(state.outline)[index];
      if (!key) return null;
      const wanted = cellKeyString(key);
      for (let i = state.progress.length - 1; i >= 0; i--) {
        const p = state.progress[i]!;
        if (cellKeyString(p.cell.key) === wanted) return p.cell.traceId;
      }
    }
    return null;
  }

  private sendAnalysis(traceId: string): void {
    const trace = this.trace(traceId);
    if (!trace) {
      this.post({ type: 'analysis', traceId, analysis: null, error: 'The trace is not part of this sweep' });
      return;
    }
    let pending = this.analyses.get(traceId);
    if (!pending) {
      pending = this.deps.analyze(trace);
      this.analyses.set(traceId, pending);
    }
    pending.then(
      (analysis) => this.post({ type: 'analysis', traceId, analysis: analysis ?? null }),
      (error: unknown) => {
        this.analyses.delete(traceId);
        this.post({ type: 'analysis', traceId, analysis: null, error: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  private log(message: string): void {
    if (this.deps.log) this.deps.log(message);
    else console.warn(message);
  }
}

/** Sets a webview up for the compare view: options and the page. */
function setUpWebview(webview: vscode.Webview, deps: ComparePanelDeps, title: string): void {
  webview.options = webviewOptions(deps.extensionUri);
  webview.html = renderWebviewHtml({ webview, extensionUri: deps.extensionUri, app: 'compare', title });
}

/** A panel showing a live sweep; it stays usable after the sweep ends. */
export class ComparePanel implements vscode.Disposable {
  private readonly session: CompareSession;
  private closed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the user closes the panel. */
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(private readonly panel: vscode.WebviewPanel, deps: ComparePanelDeps, source: CompareSourceInfo) {
    this.session = new CompareSession(panel.webview, deps, source);
    panel.onDidDispose(() => {
      this.closed = true;
      this.session.dispose();
      this.disposeEmitter.fire();
      this.disposeEmitter.dispose();
    });
  }

  /** Opens a new panel beside the active editor for a sweep of `question`. */
  static open(deps: ComparePanelDeps, question: string): ComparePanel {
    const title = `Sweep: ${question.length > 40 ? `${question.slice(0, 39)}…` : question}`;
    const panel = vscode.window.createWebviewPanel(COMPARE_PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      ...webviewOptions(deps.extensionUri),
      retainContextWhenHidden: false,
    });
    setUpWebview(panel.webview, deps, title);
    return new ComparePanel(panel, deps, { label: `live: ${question}` });
  }

  /** Whether the user has closed the panel. */
  get isClosed(): boolean {
    return this.closed;
  }

  start(outline: SweepOutline): void {
    this.session.start(outline);
  }

  progress(progress: SweepProgress): void {
    this.session.progress(progress);
  }

  /** The sweep ended; `path` (absolute) is shown relative to the workspace. */
  finish(sweep: SweepDocument, path?: string): void {
    this.session.finish(sweep, path ? vscode.workspace.asRelativePath(path) : undefined);
  }

  fail(message: string): void {
    this.session.fail(message);
  }

  dispose(): void {
    if (!this.closed) this.panel.dispose();
  }
}

/** A sweep file opened in the custom editor. */
class SweepFileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** How long file changes settle before the editor reloads the sweep. */
const RELOAD_DELAY_MS = 200;

/** Reads and checks a sweep file; the error names the file and what is wrong. */
export async function readSweepFile(uri: vscode.Uri): Promise<SweepDocument> {
  const where = vscode.workspace.asRelativePath(uri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    throw new Error(`${where}: could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseSweepDocument(value, where);
}

/** The read-only custom editor of `*.sweep.json` files. */
export class SweepEditorProvider implements vscode.CustomReadonlyEditorProvider<SweepFileDocument> {
  constructor(private readonly deps: ComparePanelDeps) {}

  openCustomDocument(uri: vscode.Uri): SweepFileDocument {
    return new SweepFileDocument(uri);
  }

  async resolveCustomEditor(document: SweepFileDocument, panel: vscode.WebviewPanel): Promise<void> {
    const label = vscode.workspace.asRelativePath(document.uri);
    setUpWebview(panel.webview, this.deps, label);
    const session = new CompareSession(panel.webview, this.deps, { label, uri: document.uri.toString() });
    const reload = async (): Promise<void> => {
      try {
        const sweep = await readSweepFile(document.uri);
        session.load(sweep, { label, uri: document.uri.toString() }, sweep.status === 'running');
      } catch (error) {
        session.fail(error instanceof Error ? error.message : String(error));
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload(), RELOAD_DELAY_MS);
    };
    const folder = vscode.Uri.joinPath(document.uri, '..');
    const name = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name));
    const subscriptions = [watcher, watcher.onDidChange(later), watcher.onDidCreate(later), session];
    panel.onDidDispose(() => {
      if (timer) clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    });
    await reload();
  }
}

/** Registers the sweep file editor; dispose the result to unregister it. */
export function registerSweepEditor(deps: ComparePanelDeps): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(SWEEP_EDITOR_VIEW_TYPE, new SweepEditorProvider(deps), {
    webviewOptions: { retainContextWhenHidden: false },
    supportsMultipleEditorsPerDocument: true,
  });
}
