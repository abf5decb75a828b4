/**
 * Reads the trace a URI points to: a `.trace.json` file, or one trace of a `.jsonl` file chosen by
 * the URI fragment ("trace=3", from 0). The same URI string is what the view keeps in its state,
 * so a restored panel opens the same trace again.
 */
import * as vscode from 'vscode';
import type { TraceDocument } from '../../protocol/trace';
import type { TraceSourceInfo } from '../../protocol/webview';
import { isJsonlPath, parseTraceFragment, parseTraceJson, readJsonlTrace, traceFragment } from './traceFile';

/** A trace and the source description the view shows and saves. */
export interface LoadedTrace {
  trace: TraceDocument;
  source: TraceSourceInfo;
}

/** The file name of a URI. */
export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/** The URI of trace `index` of a `.jsonl` file. */
export function jsonlTraceUri(file: vscode.Uri, index: number): vscode.Uri {
  return file.with({ fragment: traceFragment(index) });
}

/** Reads the whole file as UTF-8 text. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(uri.with({ fragment: '' }));
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads and validates the trace `uri` names; throws an Error whose message names the file and the problem. */
export async function readTraceAt(uri: vscode.Uri): Promise<LoadedTrace> {
  const name = baseName(uri);
  let text: string;
  try {
    text = await readText(uri);
  } catch (error) {
    throw new Error(`${name}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (isJsonlPath(uri.path)) {
    const index = parseTraceFragment(uri.fragment) ?? 0;
    const trace = readJsonlTrace(text, index, name);
    return { trace, source: { label: `${name} #${index + 1}`, uri: jsonlTraceUri(uri, index).toString() } };
  }
  return { trace: parseTraceJson(text, name), source: { label: name, uri: uri.with({ fragment: '' }).toString() } };
}
