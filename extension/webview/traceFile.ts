/**
 * Reading traces for the stepper: one trace from a `.trace.json` text, or trace N of a `.jsonl`
 * (one trace per line). Pure (no `vscode`): the callers read the bytes. Every trace goes through
 * protocol/guards.ts, so a bad file is refused with a message that names the file and the field.
 */
import { parseTraceDocument } from '../../protocol/guards';
import type { TraceDocument } from '../../protocol/trace';

/** A trace file that could not be read as a trace; the message names the file and what is wrong. */
export class TraceFileError extends Error {
  override name = 'TraceFileError';
}

/** Parses and validates the text of a `.trace.json` file. `where` names the file in messages. */
export function parseTraceJson(text: string, where: string): TraceDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TraceFileError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseTraceDocument(value, where);
  } catch (error) {
    throw new TraceFileError(error instanceof Error ? error.message : String(error));
  }
}

/** One trace line of a `.jsonl` file, described for a picker. */
export interface JsonlEntry {
  /** Index among the file's traces (blank lines do not count), from 0. */
  index: number;
  /** Line number in the file, from 1. */
  line: number;
  /** The trace id, when the line parsed. */
  id: string | null;
  /** The question (or the parse error), for display. */
  label: string;
  /** Why the line is not a trace object, when it is not. */
  error: string | null;
}

interface JsonlLine {
  line: number;
  text: string;
}

function traceLines(text: string): JsonlLine[] {
  const lines: JsonlLine[] = [];
  text.split(/\r?\n/).forEach((content, i) => {
    if (content.trim() !== '') lines.push({ line: i + 1, text: content });
  });
  return lines;
}

/** Lists the traces of a `.jsonl` text (parsed for their id and question only, not validated). */
export function listJsonlTraces(text: string): JsonlEntry[] {
  return traceLines(text).map(({ line, text: content }, index) => {
    try {
      const value: unknown = JSON.parse(content);
      const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      const id = typeof record.id === 'string' ? record.id : null;
      const question = typeof record.question === 'string' ? record.question : '(no question)';
      return { index, line, id, label: question, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { index, line, id: null, label: `line ${line}: not valid JSON`, error: message };
    }
  });
}

/** Parses and validates trace `index` (from 0) of a `.jsonl` text. */
export function readJsonlTrace(text: string, index: number, where: string): TraceDocument {
  const lines = traceLines(text);
  if (!Number.isInteger(index) || index < 0 || index >= lines.length) {
    throw new TraceFileError(`${where}: has ${lines.length} trace${lines.length === 1 ? '' : 's'}; there is no trace ${index + 1}`);
  }
  const { line, text: content } = lines[index];
  return parseTraceJson(content, `${where}:${line} (trace ${index + 1})`);
}

/** The URI fragment that selects trace `index` of a `.jsonl` file: "trace=3". */
export function traceFragment(index: number): string {
  return `trace=${index}`;
}

/** The trace index a URI fragment selects, or null when it selects none. */
export function parseTraceFragment(fragment: string): number | null {
  const match = /^trace=(\d{1,9})$/.exec(fragment);
  return match ? Number(match[1]) : null;
}

/** Whether a path names a `.jsonl` file of traces. */
export function isJsonlPath(path: string): boolean {
  return path.toLowerCase().endsWith('.jsonl');
}
