/**
 * From bytes or text to a checked TraceDocument, with errors that say where: the file, the line and
 * column of a JSON syntax error or of the field a format error is about, the byte that is not UTF-8,
 * or the limit that was hit.
 */
import { isUtf8 } from 'node:buffer';
import { TraceFormatError, parseTraceDocument } from '../../protocol/guards';
import type { TraceDocument } from '../../protocol/trace';
import { TraceReadError } from './errors';
import { findJsonPathOffset, findJsonSyntaxError, lineColumn } from './jsonScan';
import { MAX_TRACE_JSON_VALUES, VALUE_COUNT_THRESHOLD_BYTES } from './limits';
import { firstInvalidUtf8 } from './utf8';

/** Where a text came from: a file, or one line of a JSONL file. */
export interface TraceSource {
  path: string;
  /** The JSONL line number (1-based) when the text is one line of a file. */
  line?: number;
}

export interface ParseLimits {
  /** Most JSON values (`{`, `[`, `,` bytes) accepted; MAX_TRACE_JSON_VALUES by default. */
  maxValues?: number;
}

const BOM = '\uFEFF';

/**
 * Parses and checks one trace from JSON text (a `.trace.json` file's contents, an editor's
 * document, one JSONL line).
 * @throws TraceReadError for invalid JSON (with line and column), TraceFormatError for a JSON value
 *   that is not a valid trace (located at the offending field).
 */
export function parseTraceJson(text: string, source: TraceSource | string): TraceDocument {
  const src = typeof source === 'string' ? { path: source } : source;
  // Editors hide a byte-order mark, so positions are counted after it.
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw syntaxError(body, src, error);
  }
  try {
    return parseTraceDocument(value, label(src));
  } catch (error) {
    if (!(error instanceof TraceFormatError)) throw error;
    const at = position(body, findJsonPathOffset(body, error.path), src);
    throw error.relocated(`${src.path}:${at.line}:${at.column}`);
  }
}

/**
 * Parses and checks one trace from UTF-8 bytes: drops a byte-order mark, refuses input with too
 * many JSON values and input that is not UTF-8, then parseTraceJson.
 */
export function parseTraceBytes(bytes: Uint8Array, source: TraceSource | string, limits: ParseLimits = {}): TraceDocument {
  const src = typeof source === 'string' ? { path: source } : source;
  const maxValues = limits.maxValues ?? MAX_TRACE_JSON_VALUES;
  if (bytes.length >= VALUE_COUNT_THRESHOLD_BYTES || limits.maxValues !== undefined) {
    const values = countJsonValues(bytes, maxValues);
    if (values > maxValues) {
      throw new TraceReadError({
        ...src,
        problem: 'limit',
        reason: `has more than ${maxValues.toLocaleString('en-US')} JSON values, over the limit for one trace (a 1,000,000-token trace with 5 alternatives per token has about 28 million)`,
      });
    }
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    let before = Buffer.from(bytes.buffer, bytes.byteOffset, Math.max(bad, 0)).toString('utf8');
    if (before.startsWith(BOM)) before = before.slice(1);
    const at = position(before, before.length, src);
    throw new TraceReadError({
      ...src,
      line: at.line,
      column: at.column,
      problem: 'encoding',
      reason: `is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}); trace files are UTF-8 JSON`,
    });
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return parseTraceJson(text, src);
}

/**
 * Counts `{`, `[` and `,` bytes (an upper bound of the number of JSON values but one), stopping
 * early once past `stopAfter`.
 */
export function countJsonValues(bytes: Uint8Array, stopAfter = Infinity): number {
  let count = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0x2c || b === 0x5b || b === 0x7b) {
      count++;
      if (count > stopAfter) return count;
    }
  }
  return count;
}

function label(src: TraceSource): string {
  return src.line === undefined ? src.path : `${src.path}:${src.line}`;
}

/** Line and column in the file of `offset` in `text`. */
function position(text: string, offset: number, src: TraceSource): { line: number; column: number } {
  const at = lineColumn(text, offset);
  return { line: (src.line ?? 1) + at.line - 1, column: at.column };
}

function syntaxError(text: string, src: TraceSource, error: SyntaxError): TraceReadError {
  const problem = findJsonSyntaxError(text);
  let offset: number;
  let message: string;
  let atEnd: boolean;
  if (problem) {
    offset = problem.offset;
    message = problem.message;
    atEnd = problem.atEnd;
  } else {
    const v8Position = /at position (\d+)/.exec(error.message);
    offset = v8Position ? Number(v8Position[1]) : text.length;
    message = error.message.replace(/ in JSON at position \d+.*$/, '');
    atEnd = offset >= text.length;
  }
  const at = position(text, offset, src);
  const truncated = atEnd && text.trim() !== '' ? ' (the file may be truncated)' : '';
  return new TraceReadError({
    ...src,
    line: at.line,
    column: at.column,
    problem: 'syntax',
    reason: `invalid JSON: ${message}${truncated}`,
    cause: error,
  });
}
