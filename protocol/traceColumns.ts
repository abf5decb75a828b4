/**
 * A trace's tokens in columns, for sending a long trace to a webview fast. As objects, a
 * 32,000-token trace with top-5 alternatives is some 200,000 small objects, and copying them
 * through postMessage (structured clone) takes most of a second; as a few typed arrays and two
 * strings it crosses in milliseconds (VS Code moves typed arrays through webview messages as
 * buffers). The view turns the columns back into tokens, and decodes a token's alternatives only
 * when it shows them.
 */
import type { TokenAlternative, TokenPhase, TokenSource, TraceToken } from './trace';

/** Tokens as columns. Index i of each per-token column is token i. */
export interface TraceColumns {
  count: number;
  /** Every token's text, joined. */
  text: string;
  /** textEnds[i]: offset in `text` just past token i. */
  textEnds: Uint32Array;
  ids: Int32Array;
  /** NaN where the log-probability is null. */
  logprobs: Float64Array;
  /** NaN where the entropy is null. */
  entropies: Float64Array;
  /** Bits 0–1: source (0 model, 1 injected, 2 forced); bit 2: answer phase. */
  flags: Uint8Array;
  /** Token i's alternatives are entries [topStarts[i], topStarts[i + 1]) of the top columns. */
  topStarts: Uint32Array;
  topIds: Int32Array;
  topLogprobs: Float64Array;
  /** Every alternative's text, joined. */
  topText: string;
  /** topTextEnds[k]: offset in `topText` just past alternative k. */
  topTextEnds: Uint32Array;
}

const SOURCES: readonly TokenSource[] = ['model', 'injected', 'forced'];
const ANSWER_BIT = 4;

/** Puts tokens into columns. */
export function encodeTokenColumns(tokens: readonly TraceToken[]): TraceColumns {
  const count = tokens.length;
  let alternatives = 0;
  for (const t of tokens) alternatives += t.top.length;
  const columns: TraceColumns = {
    count,
    text: '',
    textEnds: new Uint32Array(count),
    ids: new Int32Array(count),
    logprobs: new Float64Array(count),
    entropies: new Float64Array(count),
    flags: new Uint8Array(count),
    topStarts: new Uint32Array(count + 1),
    topIds: new Int32Array(alternatives),
    topLogprobs: new Float64Array(alternatives),
    topText: '',
    topTextEnds: new Uint32Array(alternatives),
  };
  const texts: string[] = new Array<string>(count);
  const topTexts: string[] = new Array<string>(alternatives);
  let end = 0;
  let topEnd = 0;
  let k = 0;
  for (let i = 0; i < count; i++) {
    const t = tokens[i];
    texts[i] = t.text;
    end += t.text.length;
    columns.textEnds[i] = end;
    columns.ids[i] = t.id;
    columns.logprobs[i] = t.logprob ?? Number.NaN;
    columns.entropies[i] = t.entropy ?? Number.NaN;
    columns.flags[i] = Math.max(0, SOURCES.indexOf(t.source)) | (t.phase === 'answer' ? ANSWER_BIT : 0);
    columns.topStarts[i] = k;
    for (const alt of t.top) {
      topTexts[k] = alt.text;
      topEnd += alt.text.length;
      columns.topTextEnds[k] = topEnd;
      columns.topIds[k] = alt.id;
      columns.topLogprobs[k] = alt.logprob;
      k++;
    }
  }
  columns.topStarts[count] = k;
  columns.text = texts.join('');
  columns.topText = topTexts.join('');
  return columns;
}

/**
 * Turns columns back into tokens. Their `top` lists are left empty; `decodeAlternatives` gives a
 * token's alternatives when they are needed.
 */
export function decodeTokenColumns(columns: TraceColumns): TraceToken[] {
  const tokens = new Array<TraceToken>(columns.count);
  const { text, textEnds, ids, logprobs, entropies, flags } = columns;
  let start = 0;
  for (let i = 0; i < columns.count; i++) {
    const end = textEnds[i];
    const lp = logprobs[i];
    const h = entropies[i];
    const flag = flags[i];
    tokens[i] = {
      id: ids[i],
      text: text.slice(start, end),
      logprob: Number.isNaN(lp) ? null : lp,
      entropy: Number.isNaN(h) ? null : h,
      top: [],
      source: SOURCES[flag & 3] ?? 'model',
      phase: (flag & ANSWER_BIT ? 'answer' : 'thinking') satisfies TokenPhase,
    };
    start = end;
  }
  return tokens;
}

/** Token i's alternatives, most likely first. */
export function decodeAlternatives(columns: TraceColumns, i: number): TokenAlternative[] {
  const out: TokenAlternative[] = [];
  if (i < 0 || i >= columns.count) return out;
  for (let k = columns.topStarts[i]; k < columns.topStarts[i + 1]; k++) {
    const start = k === 0 ? 0 : columns.topTextEnds[k - 1];
    out.push({ id: columns.topIds[k], text: columns.topText.slice(start, columns.topTextEnds[k]), logprob: columns.topLogprobs[k] });
  }
  return out;
}

/** Whether `value` is a set of columns: the right typed arrays, of consistent lengths, whose offsets end where the texts do. */
export function isTraceColumns(value: unknown): value is TraceColumns {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const n = c.count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return false;
  if (typeof c.text !== 'string' || typeof c.topText !== 'string') return false;
  const sized = (v: unknown, type: { new (n: number): ArrayBufferView }, length: number): boolean => v instanceof type && (v as unknown as { length: number }).length === length;
  if (!sized(c.textEnds, Uint32Array, n) || !sized(c.ids, Int32Array, n) || !sized(c.logprobs, Float64Array, n)
    || !sized(c.entropies, Float64Array, n) || !sized(c.flags, Uint8Array, n) || !sized(c.topStarts, Uint32Array, n + 1)) return false;
  const topStarts = c.topStarts as Uint32Array;
  if (topStarts[0] !== 0) return false;
  const m = topStarts[n];
  if (!sized(c.topIds, Int32Array, m) || !sized(c.topLogprobs, Float64Array, m) || !sized(c.topTextEnds, Uint32Array, m)) return false;
  // Offsets are only checked at the ends: out-of-order offsets give wrong text, not unsafe behaviour.
  const textEnds = c.textEnds as Uint32Array;
  const topTextEnds = c.topTextEnds as Uint32Array;
  return (n > 0 ? textEnds[n - 1] : 0) === c.text.length && (m > 0 ? topTextEnds[m - 1] : 0) === c.topText.length;
}
