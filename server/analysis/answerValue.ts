/**
 * Answer normalization and equivalence. An answer as written ("\\dfrac{1}{2}", "50\\%", "(B)",
 * "5 \\text{ cm}", "twenty-one", "\\left( 1, 2 \\right)") is cleaned of LaTeX and markdown noise
 * and parsed into a value: an exact rational number (with a percent flag), a multiple-choice
 * letter, a list (tuple, interval or set) of values, or normalized text. Equivalence compares
 * values; the rules, and what is deliberately not equivalent, are in docs/analysis.md.
 */

/** A parsed answer. Numbers are exact rationals num/den with den > 0, reduced. */
export type AnswerValue =
  | {
      kind: 'number';
      num: bigint;
      den: bigint;
      /** Written with a percent sign (the value is the number before the sign). */
      percent: boolean;
      /** Digits after the decimal point as written; null when not written as a decimal. */
      places: number | null;
    }
  | { kind: 'choice'; letter: string }
  | {
      kind: 'list';
      /** Bracket characters as written; '' for a bare comma-separated list. */
      open: string;
      close: string;
      /** Tuples and intervals are ordered; sets and bare lists are not. */
      ordered: boolean;
      items: AnswerValue[];
    }
  | { kind: 'text'; text: string };

/** The canonical form of an answer, e.g. "0.5" for "\\frac{1}{2}", "B" for "(B)". */
export function normalizeAnswer(answer: string): string {
  return formatAnswer(parseAnswer(answer));
}

/**
 * Whether `answer` states the same answer as `reference`. Symmetric except for percentages: a
 * percent equals the same number without the sign either way ("50%" ≡ "50"), but a fraction
 * equals a percent ("0.5" ≡ "50%") only when the reference is the percent.
 */
export function answersEquivalent(answer: string, reference: string): boolean {
  return valuesEquivalent(parseAnswer(answer), parseAnswer(reference));
}

/** Parses an answer as written into a value (see AnswerValue). */
export function parseAnswer(raw: string): AnswerValue {
  return parseClean(cleanAnswer(raw), 0);
}

/** Prints a value in canonical form. */
export function formatAnswer(v: AnswerValue): string {
  switch (v.kind) {
    case 'number':
      return formatRational(v.num, v.den) + (v.percent ? '%' : '');
    case 'choice':
      return v.letter;
    case 'text':
      return v.text;
    case 'list': {
      const items = v.items.map(formatAnswer);
      if (!v.ordered) return `{${items.sort().join(',')}}`;
      return `${v.open}${items.join(',')}${v.close}`;
    }
  }
}

/** Equivalence of parsed values, `r` being the reference. */
export function valuesEquivalent(a: AnswerValue, r: AnswerValue): boolean {
  if (a.kind === 'number' && r.kind === 'number') return numbersEquivalent(a, r);
  if (a.kind === 'choice' && r.kind === 'choice') return a.letter === r.letter;
  if (a.kind === 'choice' && r.kind === 'text') return r.text === a.letter.toLowerCase();
  if (a.kind === 'text' && r.kind === 'choice') return a.text === r.letter.toLowerCase();
  if (a.kind === 'list' && r.kind === 'list') return listsEquivalent(a, r);
  return formatAnswer(a) === formatAnswer(r);
}

// ---------------------------------------------------------------------------------------------
// Cleaning

const SPACING = /\\(?:,|;|:|!|quad|qquad|displaystyle|textstyle|left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![A-Za-z])|\\ /g;
const WRAPPERS = ['text', 'textbf', 'textit', 'textrm', 'textnormal', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mbox', 'operatorname', 'boldsymbol'];

/** Characters that mean there may be LaTeX or markdown to clean. */
const NOISY = /[\\$*_`~°{]/;

/** Removes LaTeX, markdown and punctuation noise around an answer; keeps its content. */
export function cleanAnswer(raw: string): string {
  let s = raw.trim();
  if (NOISY.test(s)) {
    const box = lastBoxContent(s);
    if (box !== null) s = box;
    s = s.replace(SPACING, ' ').replace(/~/g, ' ');
    s = s.replace(/\\[dt]frac(?![A-Za-z])/g, '\\frac');
    s = unwrapCommands(s);
    s = s.replace(/\\%/g, '%').replace(/\\\$/g, '');
    s = s.replace(/\\\(|\\\)|\\\[|\\\]|\$/g, (m) => (m === '$' ? '' : ' '));
    s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\\degree|°/g, ' ');
    s = s.replace(/\*\*|__|`/g, '');
    s = s.replace(/\\frac\s*(\d)\s*(\d)/g, '\\frac{$1}{$2}').replace(/\\sqrt\s*(\d)/g, '\\sqrt{$1}');
  }
  s = s.replace(/\s+/g, ' ').trim();
  // Trailing sentence punctuation and surrounding quotes.
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/[.,;!]+$/, '').trim();
    const q = /^(["'“‘])(.*)(["'”’])$/.exec(s);
    if (q) s = q[2]!.trim();
  }
  return s;
}

/** Content of the last \boxed{…} or \fbox{…} in `s`, braces balanced; null when there is none. */
export function lastBoxContent(s: string): string | null {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let found: string | null = null;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const open = m.index + m[0].length - 1;
    const close = matchBrace(s, open);
    if (close < 0) continue;
    found = s.slice(open + 1, close);
    re.lastIndex = close + 1;
  }
  // A box that only wraps another box ("\\boxed{\\boxed{5}}"): take the inner one.
  if (found !== null) {
    const t = found.trim();
    const head = /^\\(?:boxed|fbox)\s*\{/.exec(t);
    if (head && matchBrace(t, head[0].length - 1) === t.length - 1) return lastBoxContent(t);
  }
  return found;
}

/** Index of the brace closing the one at `open` (escaped braces skipped); -1 when unbalanced. */
export function matchBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}


const WRAPPER_RE = new RegExp(`\\\\(?:${WRAPPERS.join('|')})\\s*\\{`);

/** Replaces every \text{X}, \mathrm{X}, … (see WRAPPERS) with X. */
function unwrapCommands(s: string): string {
  let out = s;
  for (let guard = 0; guard < 100; guard++) {
    const m = WRAPPER_RE.exec(out);
    if (!m) break;
    const open = m.index + m[0].length - 1;
    const close = matchBrace(out, open);
    if (close < 0) break;
    out = out.slice(0, m.index) + out.slice(open + 1, close) + out.slice(close + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const MAX_DEPTH = 4;

function parseClean(s: string, depth: number): AnswerValue {
  const choice = parseChoice(s);
  if (choice) return choice;
  const number = parseNumberish(s);
  if (number) return number;
  if (depth < MAX_DEPTH) {
    const list = parseList(s, depth);
    if (list) return list;
  }
  const assigned = stripAssignment(s);
  if (assigned !== s) return parseClean(assigned, depth + 1);
  return { kind: 'text', text: normalizeText(s) };
}

function parseChoice(s: string): AnswerValue | null {
  const m =
    /^\(([A-Ja-j])\)(?:[\s.:,]|$)/.exec(s) ??
    /^(?:option|choice|answer)\s*:?\s*\(?([A-Ja-j])\)?$/i.exec(s) ??
    /^([A-J])[.):]?$/.exec(s) ??
    /^([A-J])[.):]\s/.exec(s);
  return m ? { kind: 'choice', letter: m[1]!.toUpperCase() } : null;
}

/** A number, possibly with units, a variable assignment or written in words. */
function parseNumberish(s: string): AnswerValue | null {
  const direct = parseNumber(s);
  if (direct) return direct;
  const unitless = stripUnits(s);
  if (unitless !== s) {
    const n = parseNumber(unitless);
    if (n) return n;
  }
  const words = parseNumberWords(s);
  if (words) return words;
  const assigned = stripAssignment(s);
  if (assigned !== s) return parseNumberish(assigned);
  return null;
}

const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Integers, decimals, thousands separators, a/b, \frac{a}{b}, with an optional sign and percent. */
export function parseNumber(input: string): Extract<AnswerValue, { kind: 'number' }> | null {
  let s = input.replace(/\s+/g, '');
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+') || s.startsWith('−')) {
    negative = s[0] !== '+';
    s = s.slice(1);
  }
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
  }
  if (s === '') return null;
  const frac = /^\\frac\{([+-]?\d+)\}\{([+-]?\d+)\}$/.exec(s) ?? /^(\d+)\/(\d+)$/.exec(s);
  if (frac) {
    let num = BigInt(frac[1]!);
    let den = BigInt(frac[2]!);
    if (den === 0n) return null;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    return makeNumber(negative ? -num : num, den, percent, null);
  }
  const plain = s.replace(/^(\d{1,3}(?:,\d{3})+)/, (m) => (THOUSANDS.test(s) ? m.replace(/,/g, '') : m));
  const dec = /^(\d*)(?:\.(\d+))?$/.exec(plain);
  if (!dec || (dec[1] === '' && dec[2] === undefined)) return null;
  const whole = dec[1] === '' ? '0' : dec[1]!;
  const fracDigits = dec[2] ?? '';
  const num = BigInt(whole + fracDigits);
  const den = 10n ** BigInt(fracDigits.length);
  return makeNumber(negative ? -num : num, den, percent, dec[2] === undefined ? null : fracDigits.length);
}

function makeNumber(num: bigint, den: bigint, percent: boolean, places: number | null): Extract<AnswerValue, { kind: 'number' }> {
  const g = gcd(num < 0n ? -num : num, den);
  return { kind: 'number', num: g > 1n ? num / g : num, den: g > 1n ? den / g : den, percent, places };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

const UNIT_WORDS = [
  'square units', 'sq units', 'cubic units', 'units?', 'square (?:cm|m|km|mm|in|inches|ft|feet|meters|metres|miles|units)',
  'cubic (?:cm|m|in|inches|ft|feet|meters|metres|units)',
  'cm', 'mm', 'km', 'm', 'in', 'inch(?:es)?', 'ft', 'feet', 'foot', 'yd', 'yards?', 'mi', 'miles?',
  'meters?', 'metres?', 'centimeters?', 'centimetres?', 'millimeters?', 'kilometers?',
  'g', 'kg', 'mg', 'grams?', 'kilograms?', 'lbs?', 'pounds?', 'oz', 'ounces?', 'tons?',
  's', 'sec', 'secs', 'seconds?', 'min', 'mins', 'minutes?', 'h', 'hr', 'hrs', 'hours?', 'days?', 'weeks?', 'months?', 'years?',
  'degrees?', 'deg', 'radians?', 'rad', 'dollars?', 'cents?', 'euros?', 'mph', 'km/h', 'm/s', 'liters?', 'litres?', 'l', 'ml',
  'people', 'persons?', 'students?', 'ways', 'times', 'items?', 'points?',
];
const UNIT_RE = new RegExp(`^(.*?[\\d}])\\s*(?:${UNIT_WORDS.join('|')})(?:\\s*(?:\\^|\\*\\*)\\s*\\{?[23]\\}?)?$`, 'i');

/** "5 cm", "12 dollars", "90 degrees", "3 cm^2", "12 apples": the number alone; "50 percent" → "50%". */
function stripUnits(s: string): string {
  const pct = /^(.*\d)\s*(?:percent|per cent)$/i.exec(s);
  if (pct) return `${pct[1]}%`;
  const m = UNIT_RE.exec(s);
  if (m) return m[1]!.trim();
  // A plain number followed by one or two words naming what is counted: "12 apples", "7 red cars".
  const counted = /^([-−]?\d[\d,]*(?:\.\d+)?%?)\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?$/.exec(s);
  if (counted && !CONNECTIVES.has(counted[2]!.toLowerCase()) && !CONNECTIVES.has((counted[3] ?? '').toLowerCase())) return counted[1]!;
  return s;
}

/** Words that join numbers rather than name what is counted ("2 or 3" is not "2"). */
const CONNECTIVES = new Set(['and', 'or', 'to', 'plus', 'minus', 'times', 'over', 'divided', 'by', 'of', 'x', 'i', 'pi']);

/** "x = 5" → "5"; "x = 2 + 3 = 5" → "5". Only for a short variable name on the left. */
function stripAssignment(s: string): string {
  const m = /^(?:\\?[A-Za-z]{1,3}(?:_\{?\w+\}?)?(?:\([a-z]\))?)\s*=\s*(.+)$/.exec(s);
  if (!m) return s;
  const rhs = m[1]!;
  const last = rhs.lastIndexOf('=');
  return (last >= 0 ? rhs.slice(last + 1) : rhs).trim();
}

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };
const DENOMINATORS: Record<string, number> = {
  half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5, fifths: 5,
  sixth: 6, sixths: 6, eighth: 8, eighths: 8, tenth: 10, tenths: 10,
};

/** Numbers in words: zero … ninety-nine, hundreds, thousands, millions, simple fractions ("two thirds"). */
export function parseNumberWords(input: string): Extract<AnswerValue, { kind: 'number' }> | null {
  const words = input.toLowerCase().replace(/-/g, ' ').split(/\s+/).filter((w) => w !== '' && w !== 'and');
  if (words.length === 0) return null;
  let negative = false;
  if (words[0] === 'minus' || words[0] === 'negative') {
    negative = true;
    words.shift();
  }
  if (words.length === 0) return null;
  const last = words[words.length - 1]!;
  if (last in DENOMINATORS && words.length <= 2) {
    const countWord = words.length === 2 ? words[0]! : 'a';
    const count = countWord === 'a' || countWord === 'an' ? 1 : SMALL[countWord];
    if (count === undefined) return null;
    return makeNumber(BigInt(negative ? -count : count), BigInt(DENOMINATORS[last]!), false, null);
  }
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words) {
    if (w in SMALL) {
      current += SMALL[w]!;
      seen = true;
    } else if (w === 'a' && !seen) {
      current = 1;
    } else if (w in SCALES) {
      const scale = SCALES[w]!;
      if (current === 0) current = 1;
      if (scale === 100) current *= 100;
      else {
        total += current * scale;
        current = 0;
      }
      seen = true;
    } else {
      return null;
    }
  }
  if (!seen) return null;
  const value = total + current;
  return makeNumber(BigInt(negative ? -value : value), 1n, false, null);
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '\\{': '\\}' };

/** "(1, 2)", "[0, 1)", "\\{1,2\\}", "1, 2, and 3": a list of two or more values. */
function parseList(s: string, depth: number): AnswerValue | null {
  let open = '';
  let close = '';
  let inner = s;
  const opener = s.startsWith('\\{') ? '\\{' : s[0] ?? '';
  if (opener in OPENERS) {
    const closer = s.endsWith('\\}') ? '\\}' : s[s.length - 1] ?? '';
    if ([')', ']', '}', '\\}'].includes(closer) && enclosesWhole(s, opener.length, s.length - closer.length)) {
      open = opener;
      close = closer;
      inner = s.slice(opener.length, s.length - closer.length).trim();
    }
  }
  if (open !== '' && THOUSANDS.test(inner)) return parseClean(inner, depth + 1);
  const parts = splitTopLevel(inner);
  if (parts.length < 2) {
    return open !== '' && (open === '(' || open === '{' || open === '\\{') && inner !== '' && close !== ']'
      ? parseClean(inner, depth + 1)
      : null;
  }
  const items = parts.map((p) => parseClean(p.replace(/^and\s+/i, '').trim(), depth + 1));
  const set = open === '{' || open === '\\{' || open === '';
  return { kind: 'list', open: normalizeBracket(open), close: normalizeBracket(close), ordered: !set, items };
}

function normalizeBracket(b: string): string {
  return b === '\\{' ? '{' : b === '\\}' ? '}' : b;
}

/** Whether the brackets between [from, to) stay balanced (so the outer pair encloses the whole). */
function enclosesWhole(s: string, from: number, to: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

/** Splits at commas (and semicolons) outside brackets; a thousands-separated number stays whole. */
function splitTopLevel(s: string): string[] {
  if (THOUSANDS.test(s)) return [s];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if ((c === ',' || c === ';') && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** Lower case, single spaces; math-like text loses its spaces and redundant braces. */
function normalizeText(s: string): string {
  let t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/[\\^_{}=+*/<>]|\d/.test(t)) {
    t = t.replace(/\s+/g, '').replace(/([_^])\{(\w)\}/g, '$1$2');
  } else {
    t = t.replace(/^(?:the|a|an) /, '');
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Comparison

type NumberValue = Extract<AnswerValue, { kind: 'number' }>;

function sameValue(a: NumberValue, b: NumberValue): boolean {
  return a.num * b.den === b.num * a.den;
}

function numbersEquivalent(a: NumberValue, r: NumberValue): boolean {
  if (a.percent === r.percent) return sameValue(a, r) || roundedEqual(a, r) || roundedEqual(r, a);
  if (a.percent) return sameValue(a, r); // "50%" for a reference of 50: the sign was dropped
  // The reference is a percent: "50" or "0.5" for "50%".
  const hundredth = makeNumber(r.num, r.den * 100n, false, null);
  return sameValue(a, r) || sameValue(a, hundredth) || roundedEqual(a, hundredth);
}

/**
 * A decimal written with three or more places equals a fraction without a finite decimal form when
 * it is that fraction rounded or truncated to those places: 0.333 ≡ 1/3, 0.667 ≡ 2/3, 0.33 ≢ 1/3.
 */
function roundedEqual(decimal: NumberValue, other: NumberValue): boolean {
  if (decimal.places === null || decimal.places < 3 || other.places !== null) return false;
  if (hasFiniteDecimal(other.den)) return false;
  const scale = 10n ** BigInt(decimal.places);
  const written = (decimal.num * scale) / decimal.den; // exact: decimal has `places` digits
  const negative = other.num < 0n;
  const abs = negative ? -other.num : other.num;
  const truncated = (abs * scale) / other.den;
  const rounded = (abs * scale * 2n + other.den) / (other.den * 2n);
  const sign = (x: bigint) => (negative ? -x : x);
  return written === sign(truncated) || written === sign(rounded);
}

function hasFiniteDecimal(den: bigint): boolean {
  let d = den;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

function formatRational(num: bigint, den: bigint): string {
  if (den === 1n) return num.toString();
  if (!hasFiniteDecimal(den)) return `${num}/${den}`;
  let places = 0;
  let scale = 1n;
  while ((num * scale) % den !== 0n) {
    scale *= 10n;
    places++;
  }
  const scaled = (num * scale) / den;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  return negative ? `-${text}` : text;
}

function listsEquivalent(a: Extract<AnswerValue, { kind: 'list' }>, r: Extract<AnswerValue, { kind: 'list' }>): boolean {
  if (a.items.length !== r.items.length) return false;
  const bothBracketed = a.open !== '' && r.open !== '';
  if (bothBracketed && (a.ordered !== r.ordered || (a.ordered && (a.open !== r.open || a.close !== r.close)))) return false;
  if (a.ordered || r.ordered) return a.items.every((item, i) => valuesEquivalent(item, r.items[i]!));
  // Unordered: match every reference item with a distinct answer item.
  const used = new Array<boolean>(a.items.length).fill(false);
  return r.items.every((ref) => {
    const k = a.items.findIndex((item, i) => !used[i] && valuesEquivalent(item, ref));
    if (k < 0) return false;
    used[k] = true;
    return true;
  });
}
