/**
 * A position-aware scan of a trace file's JSON text: where each element of the top-level
 * `tokens` and `events` arrays lies, and where each token's `"text"` string literal lies. One
 * pass, no values built (JSON.parse builds them); strings are skipped with indexOf, so a 10 MB
 * file scans in tens of milliseconds.
 *
 * The scanner expects JSON that JSON.parse accepted; on other input its ranges are unspecified
 * but it never throws or loops.
 */
import type { TraceDocument } from '../../../protocol/trace';
import type { Span, TraceLayout } from './layout';
import type { LineIndex } from './lineIndex';

/** Result of scanTraceJson: offsets of token and event objects and token text literals. */
export interface TraceJsonLayout {
  /** Per token element: the object's range [objStart, objEnd). */
  objStart: Int32Array;
  objEnd: Int32Array;
  /** Per token element: the `"text"` value's string literal, quotes included; -1 when absent. */
  textStart: Int32Array;
  textEnd: Int32Array;
  /** Per event element: the object's range. */
  eventStart: Int32Array;
  eventEnd: Int32Array;
}

/** What a container on the scanner's stack is. */
const Role = {
  Root: 1,
  OtherObject: 2,
  OtherArray: 3,
  TokensArray: 4,
  EventsArray: 5,
  TokenObject: 6,
  EventObject: 7,
} as const;
type Role = (typeof Role)[keyof typeof Role];

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/** Scans `text` (a trace document's JSON) for the ranges of its tokens and events. */
export function scanTraceJson(text: string): TraceJsonLayout {
  const objStart: number[] = [];
  const objEnd: number[] = [];
  const textStart: number[] = [];
  const textEnd: number[] = [];
  const eventStart: number[] = [];
  const eventEnd: number[] = [];

  const roles: Role[] = [];
  let expectKey = false;
  let rootKey = '';
  let tokenKeyIsText = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = roles.length > 0 ? roles[roles.length - 1]! : 0;
      if (expectKey) {
        if (top === Role.Root) rootKey = text.slice(i + 1, end - 1);
        else if (top === Role.TokenObject) tokenKeyIsText = end - i === 6 && text.startsWith('text', i + 1);
        expectKey = false;
      } else if (top === Role.TokenObject && tokenKeyIsText) {
        textStart[objStart.length - 1] = i;
        textEnd[objStart.length - 1] = end;
        tokenKeyIsText = false;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const top = roles.length > 0 ? roles[roles.length - 1]! : 0;
      let role: Role;
      if (c === OPEN_BRACE) {
        if (top === 0) role = Role.Root;
        else if (top === Role.TokensArray) {
          role = Role.TokenObject;
          objStart.push(i);
          objEnd.push(-1);
          textStart.push(-1);
          textEnd.push(-1);
        } else if (top === Role.EventsArray) {
          role = Role.EventObject;
          eventStart.push(i);
          eventEnd.push(-1);
        } else role = Role.OtherObject;
        expectKey = true;
      } else {
        if (top === Role.Root && rootKey === 'tokens') role = Role.TokensArray;
        else if (top === Role.Root && rootKey === 'events') role = Role.EventsArray;
        else role = Role.OtherArray;
        expectKey = false;
      }
      if (top === Role.TokenObject) tokenKeyIsText = false;
      roles.push(role);
      i++;
      continue;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      const role = roles.pop();
      if (role === Role.TokenObject) objEnd[objStart.length - 1] = i + 1;
      else if (role === Role.EventObject) eventEnd[eventStart.length - 1] = i + 1;
      expectKey = false;
      i++;
      continue;
    }
    if (c === COMMA) {
      const top = roles.length > 0 ? roles[roles.length - 1]! : 0;
      expectKey = top === Role.Root || top === Role.OtherObject || top === Role.TokenObject || top === Role.EventObject;
      if (top === Role.TokenObject) tokenKeyIsText = false;
    }
    i++;
  }
  return {
    objStart: Int32Array.from(objStart),
    objEnd: Int32Array.from(objEnd),
    textStart: Int32Array.from(textStart),
    textEnd: Int32Array.from(textEnd),
    eventStart: Int32Array.from(eventStart),
    eventEnd: Int32Array.from(eventEnd),
  };
}

/** Offset just past the string literal opening at `start` (escaped quotes skipped). */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/**
 * Layout of a `.trace.json` document. Trace files as ThinkScope writes them hold one token (and
 * one event) per line under a `"tokens": [` (`"events": [`) line, and JSON strings cannot span
 * lines, so token i is found on line first + i, checked when first used (its object, and its
 * "text" string equal to the token's text). Any other layout (compact, pretty-printed) falls back
 * to one full scan. Either way, positions are computed on first use, not when the text is parsed.
 */
export class JsonTraceLayout implements TraceLayout {
  readonly tokenCount: number;
  readonly eventCount: number;
  private readonly tokenLine: number;
  private readonly eventLine: number;
  /** Per token: object start, object end, text start, text end; -2 unknown yet. */
  private readonly cache: Int32Array;
  private scanned: TraceJsonLayout | null = null;
  private lineMode: boolean;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly trace: TraceDocument,
  ) {
    this.tokenCount = trace.tokens.length;
    this.eventCount = trace.events.length;
    this.tokenLine = this.listLine('tokens', this.tokenCount);
    this.eventLine = this.listLine('events', this.eventCount);
    this.lineMode = (this.tokenLine >= 0 || this.tokenCount === 0) && (this.eventLine >= 0 || this.eventCount === 0);
    this.cache = new Int32Array(this.tokenCount * 4).fill(-2);
  }

  tokenSpan(i: number): Span {
    if (!this.locate(i)) {
      const s = this.scan();
      return [s.objStart[i]!, s.objEnd[i]!];
    }
    return [this.cache[i * 4]!, this.cache[i * 4 + 1]!];
  }

  tokenText(i: number): Span {
    if (!this.locate(i)) {
      const s = this.scan();
      return [s.textStart[i]! + 1, s.textEnd[i]! - 1];
    }
    return [this.cache[i * 4 + 2]!, this.cache[i * 4 + 3]!];
  }

  tokenAt(offset: number): number {
    if (this.lineMode && this.tokenCount > 0) {
      const i = this.lines.lineAt(offset) - this.tokenLine - 1;
      if (i < 0 || i >= this.tokenCount) return -1;
      if (this.locate(i)) return this.cache[i * 4]! <= offset && offset < this.cache[i * 4 + 1]! ? i : -1;
    }
    const s = this.scan();
    let lo = 0;
    let hi = s.objStart.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s.objStart[mid]! <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && offset < s.objEnd[found]! ? found : -1;
  }

  eventSpan(k: number): Span | null {
    if (k < 0 || k >= this.eventCount) return null;
    if (this.lineMode) {
      const span = this.eventLineSpan(k);
      if (span) return span;
      this.lineMode = false;
    }
    const s = this.scan();
    return [s.eventStart[k]!, s.eventEnd[k]!];
  }

  eventAt(offset: number): number {
    if (this.lineMode && this.eventCount > 0) {
      const k = this.lines.lineAt(offset) - this.eventLine - 1;
      if (k < 0 || k >= this.eventCount) return -1;
      const span = this.eventLineSpan(k);
      if (span) return span[0] <= offset && offset < span[1] ? k : -1;
      this.lineMode = false;
    }
    const s = this.scan();
    for (let k = 0; k < s.eventStart.length; k++) if (s.eventStart[k]! <= offset && offset < s.eventEnd[k]!) return k;
    return -1;
  }

  private scan(): TraceJsonLayout {
    this.lineMode = false;
    this.scanned ??= scanTraceJson(this.text);
    return this.scanned;
  }

  /**
   * The line of a top-level `"key": [` whose `count` items follow one per line and whose `]` comes
   * right after them; -1 when the file is not laid out that way.
   */
  private listLine(key: string, count: number): number {
    const needle = `"${key}"`;
    for (let at = this.text.lastIndexOf(needle), tries = 0; at >= 0 && tries < 8; at = this.text.lastIndexOf(needle, at - 1), tries++) {
      const line = this.lines.lineAt(at);
      const content = this.text.slice(this.lines.lineStart(line), this.lines.lineEnd(line)).trim();
      if (count === 0) {
        if (/^"[a-z]+"\s*:\s*\[\s*\]\s*,?$/.test(content)) return line;
        continue;
      }
      if (!/^"[a-z]+"\s*:\s*\[$/.test(content)) continue;
      const closing = line + count + 1;
      if (closing >= this.lines.lineCount) continue;
      const close = this.text.slice(this.lines.lineStart(closing), this.lines.lineEnd(closing)).trim();
      if (close.startsWith(']')) return line;
    }
    return -1;
  }

  /** Fills the cache for token i from its line; false (and the full scan from then on) when the line is not token i. */
  private locate(i: number): boolean {
    if (!this.lineMode) return false;
    if (this.cache[i * 4]! !== -2) return true;
    const line = this.tokenLine + 1 + i;
    const start = this.lines.lineStart(line);
    const end = this.lines.lineEnd(line);
    const found = tokenOnLine(this.text, start, end, this.trace.tokens[i]!.text, this.trace.tokens[i]!.id);
    if (!found) {
      this.lineMode = false;
      return false;
    }
    this.cache.set(found, i * 4);
    return true;
  }

  private eventLineSpan(k: number): Span | null {
    const line = this.eventLine + 1 + k;
    let s = this.lines.lineStart(line);
    let e = this.lines.lineEnd(line);
    while (s < e && isBlank(this.text.charCodeAt(s))) s++;
    while (e > s && isBlank(this.text.charCodeAt(e - 1))) e--;
    if (this.text.charCodeAt(e - 1) === COMMA) e--;
    if (this.text.charCodeAt(s) !== OPEN_BRACE || this.text.charCodeAt(e - 1) !== CLOSE_BRACE) return null;
    try {
      const value = JSON.parse(this.text.slice(s, e)) as { kind?: unknown; at?: unknown };
      const ev = this.trace.events[k]!;
      return value.kind === ev.kind && value.at === ev.at ? [s, e] : null;
    } catch {
      return null;
    }
  }
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

/**
 * On the line [start, end): exactly one JSON object, whose top-level "text" string holds
 * `expected` (and whose top-level "id", if any, is `id`). Returns [objStart, objEnd, textStart,
 * textEnd] (the text without its quotes) or null.
 */
function tokenOnLine(text: string, start: number, end: number, expected: string, id: number): [number, number, number, number] | null {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  if (text.charCodeAt(e - 1) === COMMA) e--;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  if (text.charCodeAt(s) !== OPEN_BRACE) return null;
  const found = scanObject(text, s, e);
  if (!found || found.end !== e || found.textStart < 0) return null;
  if (found.idStart >= 0 && text.slice(found.idStart, found.idEnd) !== String(id)) return null;
  const literal = text.slice(found.textStart, found.textEnd);
  let value: string;
  if (literal.indexOf('\\') < 0) value = literal.slice(1, -1);
  else {
    try {
      value = JSON.parse(literal) as string;
    } catch {
      return null;
    }
  }
  return value === expected ? [s, e, found.textStart + 1, found.textEnd - 1] : null;
}

/**
 * Scans the object opening at `start` (within `limit`): where it ends, and where its top-level
 * "text" string literal and "id" value lie (-1 when absent). null when it does not close in time.
 */
function scanObject(
  text: string,
  start: number,
  limit: number,
): { end: number; textStart: number; textEnd: number; idStart: number; idEnd: number } | null {
  let depth = 0;
  let expectKey = false;
  let key: 'text' | 'id' | null = null;
  let textStart = -1;
  let textEnd = -1;
  let idStart = -1;
  let idEnd = -1;
  for (let i = start; i < limit; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        const len = end - i - 2;
        key = len === 4 && text.startsWith('text', i + 1) ? 'text' : len === 2 && text.startsWith('id', i + 1) ? 'id' : null;
        expectKey = false;
      } else if (depth === 1 && key === 'text') {
        textStart = i;
        textEnd = end;
        key = null;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      expectKey = c === OPEN_BRACE && depth === 1;
      if (depth === 2) key = null;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return { end: i + 1, textStart, textEnd, idStart, idEnd };
    } else if (c === COMMA) {
      if (depth === 1) {
        expectKey = true;
        key = null;
      }
    } else if (depth === 1 && key === 'id' && c !== 58 /* : */ && !isBlank(c) && idStart < 0) {
      idStart = i;
      while (i < limit && /[-0-9.eE+]/.test(text[i]!)) i++;
      idEnd = i;
      key = null;
      continue;
    }
    i++;
  }
  return null;
}
