/**
 * The custom editor for `*.trace.json` (view type `thinkscope.traceEditor`): opens the stepper on
 * the file, read-only. The raw JSON stays one command away ("Reopen Editor With…", or
 * `thinkscope.trace.openAsText`). When the file changes on disk the view reloads it and keeps its
 * place.
 */
import * as vscode from 'vscode';
import { readTraceAt } from './traceSource';
import { TraceWebview, type TraceViewDeps } from './traceWebview';

export const TRACE_EDITOR_VIEW_TYPE = 'thinkscope.traceEditor';

/** A trace file opened in the custom editor. */
class TraceFileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceFileDocument> {
  constructor(
    private readonly deps: TraceViewDeps,
    /** Called with each view the editor creates (the extension tracks the active one). */
    private readonly onView: (view: TraceWebview) => void,
  ) {}

  openCustomDocument(uri: vscode.Uri): TraceFileDocument {
    return new TraceFileDocument(uri);
  }

  async resolveCustomEditor(document: TraceFileDocument, panel: vscode.WebviewPanel): Promise<void> {
    const view = new TraceWebview(panel, this.deps);
    this.onView(view);
    const load = async (): Promise<void> => {
      try {
        const { trace, source } = await readTraceAt(document.uri);
        view.show(trace, source);
      } catch (error) {
        view.fail(error instanceof Error ? error.message : String(error));
      }
    };
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), document.uri.path.split('/').pop() ?? '*'),
      true,
      false,
      true,
    );
    watcher.onDidChange(() => void load());
    panel.onDidDispose(() => {
      watcher.dispose();
      view.dispose();
    });
    await load();
  }
}
