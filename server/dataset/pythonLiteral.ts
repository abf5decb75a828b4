/**
 * Parses a Python literal as written by `str(dict)` — how s1K stores its `metadata` column, e.g.
 * "{'id': 12, 'level': 'Level 5', 'solved': True}" — into a JSON value. Handles dicts, lists,
 * tuples, strings (single/double/triple quotes, escapes, adjacent literals), ints, floats,
 * True/False/None, and JSON's true/false/null. Returns undefined for anything else, so a caller
 * keeps the raw text.
 */
import type { JsonValue } from '../../protocol/dataset';

const MAX_DEPTH = 64;

class LiteralSyntaxError extends Error {}

/** The parsed literal, or undefined when the text is not a supported Python literal. */
export function parsePythonLiteral(text: string): JsonValue | undefined {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value(0);
    parser.skipSpace();
    if (!parser.atEnd()) return undefined;
    return value;
  } catch (err) {
    if (err instanceof LiteralSyntaxError) return undefined;
    throw err;
  }
}

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(): never {
    throw new LiteralSyntaxError();
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail();
    this.pos++;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail();
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) this.fail();
    if (c === '{') return this.dict(depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === "'" || c === '"') return this.strings();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    return this.word();
  }

  private dict(depth: number): JsonValue {
    this.pos++; // {
    const out: { [key: string]: JsonValue } = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.value(depth + 1);
      if (typeof key === 'object' && key !== null) this.fail();
      this.expect(':');
      out[String(key)] = this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
    }
  }

  private sequence(close: string, depth: number): JsonValue {
    this.pos++; // [ or (
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === close) return out;
      if (c !== ',') this.fail();
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
    }
  }

  /** One or more adjacent string literals ('a' 'b' is 'ab' in Python). */
  private strings(): string {
    let out = this.string();
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "'" || c === '"') out += this.string();
      else {
        this.pos = save;
        return out;
      }
    }
  }

  private string(): string {
    const quote = this.text[this.pos]!;
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const close = triple ? quote.repeat(3) : quote;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail();
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = this.text[this.pos]!;
      if (c === '\n' && !triple) this.fail();
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      out += this.escape();
    }
  }

  private escape(): string {
    const e = this.text[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'a': return '\x07';
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case '\n': return '';
      case 'x': return this.hexEscape(2);
      case 'u': return this.hexEscape(4);
      case 'U': return this.hexEscape(8);
      case undefined: return this.fail();
      default:
        if (e >= '0' && e <= '7') return this.octalEscape();
        return `\\${e}`; // Python keeps unknown escapes as written
    }
  }

  /** \o, \oo or \ooo: up to three octal digits (the first already consumed). */
  private octalEscape(): string {
    let digits = this.text[this.pos - 1]!;
    while (digits.length < 3 && /[0-7]/.test(this.text[this.pos] ?? '')) digits += this.text[this.pos++];
    return String.fromCharCode(parseInt(digits, 8));
  }

  private hexEscape(digits: number): string {
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) this.fail();
    this.pos += digits;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.fail();
    return String.fromCodePoint(code);
  }

  private number(): number {
    const match = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.fail();
    this.pos += match[0].length;
    const n = Number(match[0].replace(/_/g, ''));
    if (!Number.isFinite(n)) this.fail();
    return n;
  }

  private word(): JsonValue {
    const match = /^[A-Za-z_]+/.exec(this.text.slice(this.pos, this.pos + 16));
    if (!match) this.fail();
    this.pos += match[0].length;
    switch (match[0]) {
      case 'True':
      case 'true':
        return true;
      case 'False':
      case 'false':
        return false;
      case 'None':
      case 'null':
        return null;
      default:
        return this.fail();
    }
  }
}
