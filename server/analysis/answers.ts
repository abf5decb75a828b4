/**
 * Candidate answers in free text: `\boxed{…}` / `\fbox{…}` (nested braces), "Final Answer:" and
 * "**Answer:**" lines, "the answer is …", multiple-choice statements ("(B) is correct"), and the
 * text's final number. Each candidate keeps its exact character range in the text. Normalization
 * and equivalence live in answerValue.ts and are re-exported here.
 */
import type { CandidateKind } from '../../protocol/analysis';
import { cleanAnswer, matchBrace, normalizeAnswer, parseAnswer } from './answerValue';

export { answersEquivalent, normalizeAnswer, parseAnswer, formatAnswer, type AnswerValue } from './answerValue';

/** A candidate found in a text; offsets are relative to that text. */
export interface ExtractedAnswer {
  /** As written: exactly text.slice(startChar, endChar). */
  text: string;
  normalized: string;
  kind: CandidateKind;
  startChar: number;
  endChar: number;
}

/** What extractCandidates looks for beyond the explicit answer forms. */
export interface ExtractOptions {
  /**
   * Whether the text's final number is a candidate: 'if-none' (default) when nothing explicit was
   * found, 'always', or 'never'.
   */
  finalNumber?: 'if-none' | 'always' | 'never';
  /**
   * When nothing was found, take the whole text as the answer if it is one short line (an
   * answer-phase text such as "Paris."). Text matching `skipPrefixes` at the start is ignored.
   */
  wholeTextFallback?: boolean;
  /** Literal prefixes to skip before the whole-text fallback (the end-of-thinking delimiter, "Final Answer:"). */
  skipPrefixes?: readonly string[];
}

/** Longest answer text that is still taken as an answer rather than a sentence about one. */
const MAX_ANSWER_CHARS = 80;
const MAX_ANSWER_WORDS = 5;

/** Finds the candidate answers in `text`, in text order, without overlaps. */
export function extractCandidates(text: string, options: ExtractOptions = {}): ExtractedAnswer[] {
  const found: Raw[] = [];
  const boxes = findBoxes(text);
  for (const b of boxes) pushRange(found, text, b.contentStart, b.contentEnd, 'boxed');
  findAnswerLines(text, boxes, found);
  findAnswerIs(text, boxes, found);
  findChoiceStatements(text, found);
  let result = dedupe(found);
  const mode = options.finalNumber ?? 'if-none';
  if (result.length === 0 && options.wholeTextFallback) {
    const whole = wholeTextCandidate(text, options.skipPrefixes ?? []);
    if (whole) result = [whole];
  }
  if (mode === 'always' || (mode === 'if-none' && result.length === 0)) {
    const n = findFinalNumber(text);
    if (n && !result.some((r) => r.startChar < n.end && n.start < r.endChar)) {
      result.push({ kind: 'last-number', startChar: n.start, endChar: n.end });
    }
  }
  return result
    .sort((a, b) => a.startChar - b.startChar)
    .map((r) => {
      const written = text.slice(r.startChar, r.endChar);
      return { text: written, normalized: normalizeAnswer(written), kind: r.kind, startChar: r.startChar, endChar: r.endChar };
    });
}

interface Raw {
  kind: CandidateKind;
  startChar: number;
  endChar: number;
}

/** A `\boxed{…}` or `\fbox{…}` in a text, and the range of its content. */
export interface BoxRange {
  /** Offset of the backslash. */
  start: number;
  /** Offset after the closing brace. */
  end: number;
  contentStart: number;
  contentEnd: number;
}

/** Outermost `\boxed{…}` / `\fbox{…}` boxes with balanced braces; a box wrapping only a box is unwrapped. */
export function findBoxes(text: string): BoxRange[] {
  const out: BoxRange[] = [];
  const re = /\\(?:boxed|fbox)\s*\{/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = matchBrace(text, open);
    if (close < 0) continue;
    let contentStart = open + 1;
    let contentEnd = close;
    for (;;) {
      const inner = /^\s*\\(?:boxed|fbox)\s*\{/.exec(text.slice(contentStart, contentEnd));
      if (!inner) break;
      const innerOpen = contentStart + inner[0].length - 1;
      const innerClose = matchBrace(text, innerOpen);
      if (innerClose < 0 || text.slice(innerClose + 1, contentEnd).trim() !== '') break;
      contentStart = innerOpen + 1;
      contentEnd = innerClose;
    }
    out.push({ start: m.index, end: close + 1, contentStart, contentEnd });
    re.lastIndex = close + 1;
  }
  return out;
}

const PAIRS = [['$$', '$$'], ['$', '$'], ['\\(', '\\)'], ['\\[', '\\]'], ['**', '**'], ['__', '__']] as const;

/** Trims whitespace, `$…$`, `\(…\)`, `\[…\]`, `**…**` and trailing punctuation off a range. */
function trimRange(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  let changed = true;
  while (changed && s < e) {
    changed = false;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s && /[.,;!]/.test(text[e - 1]!)) {
      e--;
      changed = true;
    }
    for (const [open, close] of PAIRS) {
      if (e - s >= open.length + close.length && text.startsWith(open, s) && text.startsWith(close, e - close.length)) {
        s += open.length;
        e -= close.length;
        changed = true;
      }
    }
  }
  return [s, e];
}

function pushRange(found: Raw[], text: string, start: number, end: number, kind: CandidateKind): void {
  const [s, e] = trimRange(text, start, end);
  if (e > s) found.push({ kind, startChar: s, endChar: e });
}

/** End of the line containing `from` (offset of '\n' or the text's end). */
function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

function boxInside(boxes: readonly BoxRange[], start: number, end: number): BoxRange | undefined {
  let last: BoxRange | undefined;
  for (const b of boxes) if (b.start >= start && b.end <= end) last = b;
  return last;
}

/** "Final Answer: …" anywhere and "Answer: …" at a line start: the rest of the line (or the next non-empty one). */
function findAnswerLines(text: string, boxes: readonly BoxRange[], found: Raw[]): void {
  const heads = [
    /(?:\*\*|__)?\bFinal Answer\b(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?/gi,
    /^[ \t]*(?:[-*][ \t]+)?(?:\*\*|__)?Answer(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?/gim,
  ];
  for (const head of heads) {
    for (let m = head.exec(text); m !== null; m = head.exec(text)) {
      let start = m.index + m[0].length;
      let end = lineEnd(text, start);
      // "Final Answer:" alone on its line: the answer is on the next non-empty line.
      for (let hops = 0; hops < 3 && isEmptyAnswerLine(text.slice(start, end)) && end < text.length; hops++) {
        start = end + 1;
        end = lineEnd(text, start);
      }
      const box = boxInside(boxes, start, end) ?? boxStartingIn(boxes, start, end);
      if (box) {
        pushRange(found, text, box.contentStart, box.contentEnd, 'final-answer');
        continue;
      }
      const value = readValue(text, start, end);
      if (value && isAnswerLike(text.slice(value[0], value[1]))) pushRange(found, text, value[0], value[1], 'final-answer');
    }
  }
}

/** A line with nothing but emphasis or a display-math opener ("**", "\\[", "$$"). */
function isEmptyAnswerLine(line: string): boolean {
  return line.replace(/\*\*|__|\\\[|\$\$|\\\(/g, '').trim() === '';
}

/** A display box may open on the answer line and close lines later. */
function boxStartingIn(boxes: readonly BoxRange[], start: number, end: number): BoxRange | undefined {
  return boxes.find((b) => b.start >= start && b.start < end);
}

/** "the answer is …", "the correct option is …", "answer: …" inside a sentence. */
function findAnswerIs(text: string, boxes: readonly BoxRange[], found: Raw[]): void {
  const re = /\b(?:answer|correct option|correct choice)(?:\s+(?:is|should be|would be|must be|will be|=)|\s*:)[ \t]*/gi;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = lineEnd(text, start);
    const value = readValue(text, start, end);
    if (!value) continue;
    const box = boxInside(boxes, value[0], value[1]);
    if (box) {
      pushRange(found, text, box.contentStart, box.contentEnd, 'answer-is');
      continue;
    }
    const written = text.slice(value[0], value[1]);
    if (!isAnswerLike(written)) continue;
    const parsed = parseAnswer(written).kind;
    // "answer:" inside a sentence introduces words often ("let me answer: first…"): only values there.
    if (m[0].trimEnd().endsWith(':') && parsed === 'text' && !/[\d\\$^=]/.test(written)) continue;
    pushRange(found, text, value[0], value[1], parsed === 'choice' ? 'choice' : 'answer-is');
  }
}

/** "(B) is correct", "option C is the right one". */
function findChoiceStatements(text: string, found: Raw[]): void {
  const patterns = [
    /\b(?:[Oo]ption|[Cc]hoice)\s+(\(?[A-J]\)?)\s+is\s+(?:the\s+)?(?:correct|right|answer)/g,
    /(?<![\w(])(\([A-J]\))\s+is\s+(?:the\s+)?(?:correct|right)/g,
  ];
  for (const re of patterns) {
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index + m[0].indexOf(m[1]!);
      found.push({ kind: 'choice', startChar: start, endChar: start + m[1]!.length });
    }
  }
}

const HEDGES = /^(?:(?:probably|likely|indeed|simply|just|actually|clearly|definitely|then|therefore|thus|still|now|exactly),?\s+)+/i;
const CONNECTORS = /\s(?:because|since|which|but|as|so|if|when|where|and then|and so|not)\b/i;

/**
 * Reads an answer value from `start` to the end of its sentence within [start, limit): stops at
 * sentence punctuation or a comma before a word outside brackets and math, then trims trailing
 * explanation ("because …"). Returns [start, end) or null when empty.
 */
function readValue(text: string, start: number, limit: number): [number, number] | null {
  let s = start;
  while (s < limit && /[\s*_]/.test(text[s]!)) s++;
  const hedge = HEDGES.exec(text.slice(s, limit));
  if (hedge) s += hedge[0].length;
  if (/^not\b/i.test(text.slice(s, s + 4))) return null;
  let depth = 0;
  let math = false;
  let j = s;
  for (; j < limit && j - s < 400; j++) {
    const c = text[j]!;
    if (c === '\\') {
      if (text[j + 1] === '(' || text[j + 1] === '[') depth++;
      else if (text[j + 1] === ')' || text[j + 1] === ']') depth--;
      j++;
      continue;
    }
    if (c === '$') math = !math;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0 && !math) break;
      depth--;
    } else if (depth === 0 && !math) {
      const next = text[j + 1];
      // Sentence end: punctuation before a space, the end, or a capital letter ("5.Wait").
      if ('.!?;'.includes(c) && (next === undefined || /[\s\p{Lu}]/u.test(next))) break;
      if (c === ',' && next === ' ' && /[A-Za-z]/.test(text[j + 2] ?? '')) break;
    }
  }
  let e = j;
  const tail = CONNECTORS.exec(text.slice(s, e));
  if (tail && !/[$\\]/.test(text.slice(s, s + tail.index))) e = s + tail.index;
  // With math in it, the math is the answer: "$x = 5$ exactly" → "$x = 5$".
  const value = text.slice(s, e);
  const mathMatch = /\$[^$]+\$|\\\([\s\S]+?\\\)/.exec(value);
  if (mathMatch && value.replace(mathMatch[0], '').trim().split(/\s+/).length > 2) {
    s += mathMatch.index;
    e = s + mathMatch[0].length;
  }
  const [ts, te] = trimRange(text, s, e);
  return te > ts ? [ts, te] : null;
}

/**
 * Words that open a sentence about the answer rather than the answer itself ("the answer is that
 * we…", "the answer is correct", "Final Answer: Since 2^3 = 8…").
 */
const NOT_AN_ANSWER = new Set(
  (
    'that to we it this these those there in on of for because since as given using from by with when if ' +
    'how what which where whether going about more less greater smaller larger bigger at still also let ' +
    'i note correct wrong right incorrect different same unclear consistent likely unlikely obvious clear ' +
    'simple straightforward tricky'
  ).split(' '),
);
/** Plain words (two letters or more, not LaTeX commands) allowed in a value with digits or math. */
const MAX_WORDS_WITH_MATH = 2;

/**
 * Short enough and shaped like an answer: a number (digits or words), a choice, math with at most
 * two plain words around it, or a few words of text; never a sentence about the answer.
 */
function isAnswerLike(written: string): boolean {
  const clean = cleanAnswer(written);
  if (clean === '' || clean.length > MAX_ANSWER_CHARS) return false;
  const words = clean.split(/\s+/);
  if (NOT_AN_ANSWER.has(words[0]!.toLowerCase())) return false;
  const kind = parseAnswer(written).kind;
  if (kind === 'number' || kind === 'choice') return true;
  if (/[\d\\$^=]/.test(written)) return words.filter((w) => /^[A-Za-z]{2,}[.,;:!?]?$/.test(w)).length <= MAX_WORDS_WITH_MATH;
  return words.length <= MAX_ANSWER_WORDS;
}

const NUMBER_RE =
  /(?<![\p{L}_^\\\d.,])(?:[-−]\s?)?(?:\\[dt]?frac\{-?\d+\}\{-?\d+\}|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\/\d+)?)(?:\\?%)?(?![\p{L}\d])/gu;

/** The last number in `text` (integers, decimals, thousands separators, a/b, \frac{a}{b}, a percent). */
export function findFinalNumber(text: string): { start: number; end: number } | null {
  let last: { start: number; end: number } | null = null;
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(text); m !== null; m = NUMBER_RE.exec(text)) {
    let end = m.index + m[0].length;
    // "5." at a sentence end: the period is not part of the number.
    if (text[end - 1] === '.') end--;
    last = { start: m.index, end };
  }
  return last;
}

/** What may follow a concluding number: a short parenthesis ("(mod 7)"), closing punctuation and markup. */
const AFTER_CONCLUSION = /^(?:\s*\([^()\n]{1,16}\))?(?:[\s.!)\]*_$]|\\[)\]])*$/;
const TRAILING_PARENTHESIS = /\s*\([^()\n]{1,16}\)[\s.!]*$/;
/** Openings of a concluding sentence. */
const CONCLUSION_OPENER = /^(?:so|thus|therefore|hence|then|total|in total|altogether|overall|that gives|this gives|which gives)\b/i;
/** The words just before the number in a short statement of a value ("The remainder is 2"). */
const VALUE_VERB = /(?:\b(?:is|are|equals?|gives?|gets?|got|makes?|remains?|comes to)|=|≡)\s*$/i;
const SHORT_STATEMENT_WORDS = 8;

/**
 * The number a text concludes with, or null. The number must end the text's last sentence (only
 * closing punctuation or a short parenthesis after it), and the sentence must open with a
 * conclusion ("So", "Thus", "Therefore", "Hence", "Then", "Total", "In total", "That gives"…) or be
 * a short statement of a value ("The remainder is 2.", "Both methods give 91.").
 */
export function concludingNumber(text: string): { start: number; end: number } | null {
  // The number before a trailing parenthesis ("2 (mod 7)"), not the one inside it.
  const body = text.replace(TRAILING_PARENTHESIS, '');
  const n = findFinalNumber(body);
  if (!n || !AFTER_CONCLUSION.test(text.slice(n.end))) return null;
  const before = text.slice(0, n.start);
  const sentenceStart = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n'), before.lastIndexOf('? '), before.lastIndexOf('! '));
  const sentence = before
    .slice(sentenceStart + 1)
    .replace(/^[\s*_#>-]+/, '')
    .replace(/[\s*_$]+$|\\\($/g, '');
  if (CONCLUSION_OPENER.test(sentence)) return n;
  const words = sentence.trim().split(/\s+/).filter((w) => w !== '').length;
  return words <= SHORT_STATEMENT_WORDS && VALUE_VERB.test(sentence) ? n : null;
}

/** The whole text as an answer when it is one short line ("Paris.", "x = 5"). */
function wholeTextCandidate(text: string, skipPrefixes: readonly string[]): Raw | null {
  let s = 0;
  for (let again = true; again; ) {
    again = false;
    while (s < text.length && /\s/.test(text[s]!)) s++;
    for (const p of skipPrefixes) {
      if (p !== '' && text.startsWith(p, s)) {
        s += p.length;
        again = true;
      }
    }
  }
  const [ts, te] = trimRange(text, s, text.length);
  if (te <= ts) return null;
  const written = text.slice(ts, te);
  if (written.includes('\n') || !isAnswerLike(written)) return null;
  const kind: CandidateKind = parseAnswer(written).kind === 'choice' ? 'choice' : 'final-answer';
  return { kind, startChar: ts, endChar: te };
}

const PRIORITY: Record<CandidateKind, number> = { 'final-answer': 4, boxed: 3, choice: 2, 'answer-is': 1, 'last-number': 0 };

/** Keeps one candidate per overlapping group: the higher priority, then the earlier found. */
function dedupe(found: Raw[]): Raw[] {
  const sorted = [...found].sort((a, b) => a.startChar - b.startChar || PRIORITY[b.kind] - PRIORITY[a.kind]);
  const out: Raw[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.startChar < prev.endChar) {
      if (PRIORITY[r.kind] > PRIORITY[prev.kind]) out[out.length - 1] = r;
      continue;
    }
    out.push(r);
  }
  return out;
}
