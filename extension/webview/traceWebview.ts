/**
 * The host side of one stepper webview, for a trace file or a live run alike. It keeps the
 * trace the view shows (for a live run, the trace so far), so that when the webview is hidden
 * and shown again, or reloaded, and says "ready", the view gets all of it back in one `load`.
 * Messages from the webview are checked with protocol/guards.ts before anything is done.
 */
import * as vscode from 'vscode';
import type { TraceAnalysis } from '../../protocol/analysis';
import { parseTraceViewOutbound } from '../../protocol/guards';
import { applyRunProgress } from '../../protocol/liveTrace';
import type { RunProgress } from '../../protocol/rpc';
import type { TraceDocument } from '../../protocol/trace';
import { encodeTokenColumns } from '../../protocol/traceColumns';
import type { TraceViewHostMessage } from '../../protocol/traceView';
import type { StepCommand, TraceSourceInfo } from '../../protocol/webview';
import { renderWebviewHtml, webviewOptions } from './html';

/** Asks for the analysis of a trace (the extension passes one that asks the server). */
export type AnalyzeTrace = (trace: TraceDocument) => Promise<TraceAnalysis | undefined>;

/** What every trace view needs from the extension. */
export interface TraceViewDeps {
  extensionUri: vscode.Uri;
  analyze: AnalyzeTrace;
  /** Where problems are logged (the ThinkScope output channel). */
  log: (message: string) => void;
}

export class TraceWebview implements vscode.Disposable {
  private trace: TraceDocument | null = null;
  private source: TraceSourceInfo = { label: 'Trace' };
  private live = false;
  private analysis: TraceAnalysis | undefined;
  private failure: string | null = null;
  private ready = false;
  private position = 0;
  private analysisRequest = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly positionEmitter = new vscode.EventEmitter<number>();
  /** Fires when the user moves the selection (debounced by the view). */
  readonly onDidChangePosition = this.positionEmitter.event;
  private readonly activeEmitter = new vscode.EventEmitter<boolean>();
  /** Fires when the panel becomes the active editor, or stops being it. */
  readonly onDidChangeActive = this.activeEmitter.event;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: TraceViewDeps) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = renderWebviewHtml({ webview: panel.webview, extensionUri: deps.extensionUri, app: 'trace', title: panel.title });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // A hidden webview is torn down; it says "ready" again when shown.
        if (!webviewPanel.visible) this.ready = false;
        this.activeEmitter.fire(webviewPanel.active);
      }),
      this.positionEmitter,
      this.activeEmitter,
    );
  }

  /** The selected token, as last reported by the view. */
  get selectedToken(): number {
    return this.position;
  }

  /** The trace shown (for a live run, the part received so far). */
  get currentTrace(): TraceDocument | null {
    return this.trace;
  }

  /** Where the trace came from. */
  get currentSource(): TraceSourceInfo {
    return this.source;
  }

  /** Shows a finished trace and asks for its analysis. */
  show(trace: TraceDocument, source: TraceSourceInfo): void {
    this.trace = trace;
    this.source = source;
    this.live = false;
    this.failure = null;
    this.analysis = undefined;
    this.sendLoad();
    this.requestAnalysis(trace);
  }

  /** Starts showing a live run from its header (the prompt is known, no tokens yet). */
  start(header: TraceDocument, source: TraceSourceInfo): void {
    this.trace = { ...header, tokens: [...header.tokens], events: [...header.events] };
    this.source = source;
    this.live = true;
    this.failure = null;
    this.analysis = undefined;
    this.sendLoad();
  }

  /** Appends a live run's progress. */
  progress(progress: RunProgress): void {
    if (!this.trace || !this.live) {
      this.deps.log(`trace view: progress for run ${progress.runId} arrived before its header; ignored`);
      return;
    }
    try {
      applyRunProgress(this.trace, progress);
    } catch (error) {
      this.deps.log(`trace view: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.post({ type: 'progress', progress });
  }

  /** The live run finished: shows the final trace (from `source` when it was saved) and asks for its analysis. */
  finish(trace: TraceDocument, source?: TraceSourceInfo): void {
    this.live = false;
    this.failure = null;
    this.trace = trace;
    this.analysis = undefined;
    if (source) this.source = source;
    // The whole final trace goes as a load (in columns); the view keeps its place for the same trace.
    this.sendLoad();
    this.requestAnalysis(trace);
  }

  /** Shows an error in the view (the run failed, or the file could not be read). */
  fail(message: string): void {
    this.live = false;
    this.failure = message;
    this.post({ type: 'failed', message });
  }

  /** Relays a keyboard command to the view. */
  command(command: StepCommand): void {
    this.post({ type: 'command', command });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }

  /** Sends the whole trace, its tokens in columns (a long trace crosses far faster that way). */
  private sendLoad(): void {
    if (!this.trace) return;
    if (!this.ready) return;
    this.post({
      type: 'loadColumns',
      trace: { ...this.trace, tokens: [] },
      columns: encodeTokenColumns(this.trace.tokens),
      source: this.source,
      live: this.live,
      ...(this.analysis ? { analysis: this.analysis } : {}),
    });
  }

  private post(message: TraceViewHostMessage): void {
    if (!this.ready) return; // the view asks for everything when it says "ready"
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.deps.log(`trace view: could not post ${message.type}: ${String(error)}`);
    });
  }

  private requestAnalysis(trace: TraceDocument): void {
    const request = ++this.analysisRequest;
    this.deps.analyze(trace).then(
      (analysis) => {
        if (request !== this.analysisRequest || this.trace !== trace || !analysis) return;
        this.analysis = analysis;
        this.post({ type: 'analysis', analysis });
      },
      (error: unknown) => this.deps.log(`trace view: analysis of ${trace.id} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private receive(raw: unknown): void {
    let message;
    try {
      message = parseTraceViewOutbound(raw);
    } catch (error) {
      this.deps.log(`trace view: refused a message: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendLoad();
        if (this.failure !== null) this.post({ type: 'failed', message: this.failure });
        return;
      case 'position':
        this.position = message.token;
        this.positionEmitter.fire(message.token);
        return;
      case 'error':
        this.deps.log(message.message);
        return;
    }
  }
}
