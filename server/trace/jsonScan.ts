/**
 * A small JSON scanner for error reporting: where the first syntax error is (JSON.parse does not
 * always say), and where the value at a JSON path starts (to put a line and column on a trace
 * format error). Iterative, so any nesting depth is fine; linear in the text's length. Used only
 * once something went wrong, so it favours clarity over speed.
 */
import type { JsonPath } from '../../protocol/guards';

export interface JsonSyntaxProblem {
  /** Index in the text (UTF-16 code units) where the problem is. */
  offset: number;
  /** What is wrong, e.g. "expected ',' or '}' after a value in an object". */
  message: string;
  /** Whether the scanner had reached the end of the text (the text may be truncated). */
  atEnd: boolean;
}

/** The first JSON syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  return scan(text, null).error;
}

/**
 * Where the value at `path` starts in `text` (a valid JSON text). When the path does not exist
 * (a missing field), the start of its deepest existing ancestor.
 */
export function findJsonPathOffset(text: string, path: JsonPath): number {
  return scan(text, path).offset;
}

/** 1-based line and column of `offset` in `text`; the column counts UTF-16 code units. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let nl = text.indexOf('\n');
  while (nl !== -1 && nl < offset) {
    line++;
    lineStart = nl + 1;
    nl = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1 };
}

const enum C {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

interface Frame {
  isObject: boolean;
  /** Array: index of the current element. Object: [start, end) of the current key's source. */
  index: number;
  keyStart: number;
  keyEnd: number;
}

interface ScanResult {
  error: JsonSyntaxProblem | null;
  offset: number;
}

class Stop {
  constructor(readonly problem: JsonSyntaxProblem) {}
}

function scan(text: string, target: JsonPath | null): ScanResult {
  const n = text.length;
  let i = 0;
  const stack: Frame[] = [];
  // Length of the prefix of `target` the current container path matches, and where it starts.
  let matched = 0;
  let bestOffset = 0;
  let found = false;

  const problem = (offset: number, message: string): never => {
    throw new Stop({ offset, message, atEnd: i >= n });
  };
  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== C.Space && c !== C.Newline && c !== C.Return && c !== C.Tab) break;
      i++;
    }
  };
  const describeAt = (at: number): string => {
    if (at >= n) return 'the end of the text';
    const cp = text.codePointAt(at)!;
    return cp < 0x20 || cp === 0x7f ? `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(cp)}'`;
  };
  const scanString = () => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) problem(start, 'unterminated string (no closing double quote)');
      const c = text.charCodeAt(i);
      if (c === C.Quote) {
        i++;
        return;
      }
      if (c === C.Backslash) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) problem(i, 'invalid \\u escape (it needs 4 hexadecimal digits)');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          problem(i, `invalid escape ${e === undefined ? 'at the end of the text' : `'\\${e}'`} in a string`);
        }
        continue;
      }
      if (c < 0x20) problem(i, `${describeAt(i)} inside a string (control characters must be escaped)`);
      i++;
    }
  };
  const digits = (): number => {
    const from = i;
    while (i < n && text.charCodeAt(i) >= C.Zero && text.charCodeAt(i) <= C.Nine) i++;
    return i - from;
  };
  const scanNumber = () => {
    const start = i;
    if (text.charCodeAt(i) === C.Minus) i++;
    if (text.charCodeAt(i) === C.Zero) i++;
    else if (digits() === 0) problem(start, 'invalid number (a digit must follow the minus sign)');
    if (text.charCodeAt(i) === C.Dot) {
      i++;
      if (digits() === 0) problem(i, 'invalid number (a digit must follow the decimal point)');
    }
    const e = text.charCodeAt(i);
    if (e === C.LowerE || e === C.UpperE) {
      i++;
      const s = text.charCodeAt(i);
      if (s === C.Plus || s === C.Minus) i++;
      if (digits() === 0) problem(i, 'invalid number (a digit must follow the exponent)');
    }
  };
  const keyAt = (frame: Frame): string | number => {
    if (!frame.isObject) return frame.index;
    return JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string;
  };
  /** A value starts at `i`, at depth stack.length; track whether it is (on) the target path. */
  const valueStarts = (): boolean => {
    if (target === null || found) return false;
    const depth = stack.length;
    if (matched !== depth) return false;
    if (depth > 0 && keyAt(stack[depth - 1]!) !== target[depth - 1]) return false;
    bestOffset = i;
    if (depth === target.length) found = true;
    return true;
  };

  try {
    skipSpace();
    for (;;) {
      // Expect a value.
      skipSpace();
      if (i >= n) problem(i, stack.length === 0 ? 'the text is empty (no JSON value)' : 'unexpected end of the text where a value was expected');
      const onPath = valueStarts();
      if (found) return { error: null, offset: bestOffset };
      const c = text.charCodeAt(i);
      let opened = false;
      if (c === C.OpenBrace || c === C.OpenBracket) {
        const isObject = c === C.OpenBrace;
        i++;
        skipSpace();
        if (text.charCodeAt(i) === (isObject ? C.CloseBrace : C.CloseBracket)) {
          i++;
        } else {
          stack.push({ isObject, index: 0, keyStart: 0, keyEnd: 0 });
          if (onPath) matched = stack.length;
          opened = true;
          if (isObject) readKey();
        }
      } else if (c === C.Quote) {
        scanString();
      } else if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) {
        scanNumber();
      } else if (text.startsWith('true', i)) {
        i += 4;
      } else if (text.startsWith('false', i)) {
        i += 5;
      } else if (text.startsWith('null', i)) {
        i += 4;
      } else {
        problem(i, `unexpected ${describeAt(i)} where a value was expected`);
      }
      if (opened) continue;
      // After a value: close containers or move to the next element.
      for (;;) {
        skipSpace();
        const top = stack[stack.length - 1];
        if (!top) {
          if (i < n) problem(i, `unexpected ${describeAt(i)} after the JSON value (only one value is allowed)`);
          return { error: null, offset: bestOffset };
        }
        const c2 = text.charCodeAt(i);
        if (c2 === C.Comma) {
          i++;
          if (top.isObject) readKey();
          else top.index++;
          break;
        }
        if (c2 === (top.isObject ? C.CloseBrace : C.CloseBracket)) {
          i++;
          if (matched === stack.length) matched--;
          stack.pop();
          continue;
        }
        if (i >= n) problem(i, `unexpected end of the text: the ${top.isObject ? 'object' : 'array'} is not closed`);
        problem(i, `expected ',' or '${top.isObject ? '}' : ']'}' after a value in ${top.isObject ? 'an object' : 'an array'}, got ${describeAt(i)}`);
      }
    }
  } catch (error) {
    if (error instanceof Stop) return { error: error.problem, offset: bestOffset };
    throw error;
  }

  function readKey(): void {
    skipSpace();
    if (text.charCodeAt(i) !== C.Quote) {
      problem(i, i >= n ? 'unexpected end of the text where a key was expected' : `expected a double-quoted key, got ${describeAt(i)}`);
    }
    const frame = stack[stack.length - 1]!;
    frame.keyStart = i;
    scanString();
    frame.keyEnd = i;
    skipSpace();
    if (text.charCodeAt(i) !== C.Colon) problem(i, `expected ':' after the key, got ${describeAt(i)}`);
    i++;
  }
}
