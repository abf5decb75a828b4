/**
 * A stepper in an editor-area panel: for a live run (the generate command drives it through
 * start / progress / finish / fail), or for one trace of a `.jsonl` file. VS Code restores these
 * panels after a reload through TracePanelSerializer.
 */
import * as vscode from 'vscode';
import type { RunProgress } from '../../protocol/rpc';
import type { TraceDocument } from '../../protocol/trace';
import type { TraceSourceInfo } from '../../protocol/webview';
import { TraceWebview, type TraceViewDeps } from './traceWebview';

/** The view type of stepper panels (not of the custom editor). */
export const TRACE_PANEL_VIEW_TYPE = 'thinkscope.tracePanel';

export class TracePanel implements vscode.Disposable {
  readonly view: TraceWebview;
  private label: string;

  private constructor(readonly panel: vscode.WebviewPanel, deps: TraceViewDeps, label: string) {
    this.label = label;
    this.view = new TraceWebview(panel, deps);
    panel.onDidDispose(() => this.view.dispose());
  }

  /** Opens a new panel beside the active editor. */
  static create(deps: TraceViewDeps, label: string): TracePanel {
    const panel = vscode.window.createWebviewPanel(
      TRACE_PANEL_VIEW_TYPE,
      label,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { retainContextWhenHidden: false },
    );
    return new TracePanel(panel, deps, label);
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, deps: TraceViewDeps): TracePanel {
    return new TracePanel(panel, deps, panel.title);
  }

  /** Shows a finished trace. */
  show(trace: TraceDocument, source: TraceSourceInfo): void {
    this.setLabel(source.label);
    this.view.show(trace, source);
  }

  /** A live run's header arrived. */
  start(header: TraceDocument): void {
    this.view.start(header, { label: this.label });
  }

  /** A live run's tokens arrived. */
  progress(progress: RunProgress): void {
    this.view.progress(progress);
  }

  /** The live run finished; `path` is where its trace was saved, if it was. */
  finish(trace: TraceDocument, path?: string): void {
    if (path) {
      const uri = vscode.Uri.file(path);
      const name = uri.path.split('/').pop() ?? path;
      this.setLabel(name);
      this.view.finish(trace, { label: name, uri: uri.toString() });
    } else {
      this.view.finish(trace);
    }
  }

  /** The live run failed, or the trace could not be read. */
  fail(message: string): void {
    this.view.fail(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private setLabel(label: string): void {
    this.label = label;
    this.panel.title = label;
  }
}
