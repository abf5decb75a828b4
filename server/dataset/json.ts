/**
 * JSON helpers for untrusted input: parsing with a nesting limit and positions in errors, and
 * turning values decoded from Parquet (bigint, Date, bytes) into plain JSON values.
 */
import type { JsonValue } from '../../protocol/dataset';
import { MAX_JSON_DEPTH, PRESCAN_LINE_BYTES } from './limits';

/** A parse that failed, with the 1-based column (within the text) when JSON.parse said where. */
export interface JsonFailure {
  ok: false;
  message: string;
  column?: number;
  line?: number;
}
export type JsonParse = { ok: true; value: unknown } | JsonFailure;

/**
 * Whether a parsed value nests arrays/objects deeper than `max`. Iterative: a hostile value cannot
 * overflow the stack. Stops as soon as the limit is passed.
 */
export function valueDepthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Whether JSON text nests deeper than `max`, found by scanning the text (strings skipped). */
export function textDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** 1-based line and column of a character offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses JSON text with the nesting limit. Long texts are scanned for depth before parsing (so a
 * 50 MB "[[[[…" never becomes millions of nested arrays); short ones are checked after.
 * `multiline` texts get line and column in failures, single lines a column.
 */
export function parseJson(text: string, options: { multiline?: boolean; maxDepth?: number } = {}): JsonParse {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (text.length >= PRESCAN_LINE_BYTES && textDepthExceeds(text, maxDepth)) {
    return { ok: false, message: `nesting deeper than ${maxDepth} levels` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const failure: JsonFailure = { ok: false, message: `invalid JSON: ${shortenJsonMessage(raw)}` };
    const reported = /at position (\d+)/.exec(raw);
    const offset = reported ? Number(reported[1]) : jsonErrorOffset(text);
    if (offset !== null) {
      const where = lineColumnAt(text, offset);
      if (options.multiline) failure.line = where.line;
      failure.column = options.multiline ? where.column : offset + 1;
    }
    return failure;
  }
  if (valueDepthExceeds(value, maxDepth)) return { ok: false, message: `nesting deeper than ${maxDepth} levels` };
  return { ok: true, value };
}

const enum Container {
  Array,
  Object,
}

/**
 * The offset of the first syntax error in JSON text, or null when it is valid. Iterative (no
 * recursion), for error messages only: JSON.parse does not always say where it failed.
 */
export function jsonErrorOffset(text: string): number | null {
  const n = text.length;
  const stack: Container[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      i++;
    }
  };
  /** Scans a string at i; returns false (i at the error) when it is malformed. */
  const scanString = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i += 1;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const scanNumber = (): boolean => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 1024));
    if (!m || m[0] === '-') return false;
    i += m[0].length;
    return true;
  };
  /** After `{` or `,` in an object: a key and a colon. */
  const scanKey = (): boolean => {
    skipSpace();
    if (text[i] !== '"' || !scanString()) return false;
    skipSpace();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // Expecting a value.
    skipSpace();
    if (i >= n) return n;
    const c = text[i]!;
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') i++;
      else {
        stack.push(Container.Object);
        if (!scanKey()) return i;
        continue;
      }
    } else if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') i++;
      else {
        stack.push(Container.Array);
        continue;
      }
    } else if (c === '"') {
      if (!scanString()) return i;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      if (!scanNumber()) return i;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return i;
    // After a value: close containers or continue after a comma.
    for (;;) {
      skipSpace();
      if (stack.length === 0) return i < n ? i : null;
      const top = stack[stack.length - 1];
      const d = text[i];
      if (d === ',') {
        i++;
        if (top === Container.Object && !scanKey()) return i;
        break;
      }
      if ((top === Container.Array && d === ']') || (top === Container.Object && d === '}')) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}

/** V8 quotes a slice of the input in its messages; keep them short and free of model text. */
function shortenJsonMessage(message: string): string {
  const cut = message.replace(/, "(?:[^"\\]|\\.)*" is not valid JSON/, '').replace(/\s*\(line \d+ column \d+\)/, '');
  return cut.length > 200 ? `${cut.slice(0, 200)}…` : cut;
}

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Turns a value decoded from Parquet (or any JS value) into a JSON value: bigint → number when
 * safe (else its decimal string), Date → ISO string, bytes → base64, typed arrays → arrays,
 * undefined and non-finite numbers → null. Depth is bounded by the caller's checks on the file.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => toJsonValue(v));
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v));
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJsonValue(v);
  return out;
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
