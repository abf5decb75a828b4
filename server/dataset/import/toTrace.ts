/**
 * Builds a steppable TraceDocument from a record's text, for records that came without token
 * metadata (s1K, R1-style JSONL). Token boundaries come from the loaded model's tokenizer when
 * one is given (`tokenCounts: 'tokenizer'`), otherwise from an estimate that splits text the way
 * BPE pre-tokenizers do (`tokenCounts: 'estimated'`). Either way the tokens join back to the text.
 */
import type { DatasetRecord } from '../../../protocol/dataset';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type Delimiters,
  type TraceDocument,
  type TraceEvent,
  type TraceToken,
  type TokenPhase,
} from '../../../protocol/trace';
import { answerText } from '../../../protocol/traceText';
import pkg from '../../../package.json';

/** Splits text into token texts; joined, they must give the text back. */
export type Tokenizer = (text: string) => string[];

export interface ToTraceOptions {
  /** The loaded model's tokenizer (token texts); without it token counts are estimated. */
  tokenizer?: Tokenizer;
  /** Delimiters to record (and to put between thinking and answer); default `<think>`/`</think>`. */
  delimiters?: Delimiters;
  /** createdAt of the document; default now. */
  createdAt?: string;
}

/** Longest run of letters kept as one estimated token; longer words are cut into pieces this size. */
const MAX_ESTIMATED_WORD = 6;
const PRE_TOKEN = /'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/**
 * Estimated token texts: pre-tokens (words with their leading space, digit groups of up to 3,
 * punctuation runs, whitespace), long words cut into pieces. Roughly 1 token per 4 characters on
 * English prose, close to BPE vocabularies of 100k–150k entries.
 */
export function estimateTokens(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PRE_TOKEN)) {
    const at = m.index;
    if (at > last) out.push(text.slice(last, at)); // defensive: nothing is left unmatched
    pushPiece(out, m[0]);
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function pushPiece(out: string[], piece: string): void {
  if (piece.length <= MAX_ESTIMATED_WORD + 1) {
    out.push(piece);
    return;
  }
  const chars = Array.from(piece); // never cut a surrogate pair
  if (chars.length <= MAX_ESTIMATED_WORD + 1) {
    out.push(piece);
    return;
  }
  const lead = chars[0] === ' ' ? 1 : 0;
  out.push(chars.slice(0, lead + MAX_ESTIMATED_WORD).join(''));
  for (let i = lead + MAX_ESTIMATED_WORD; i < chars.length; i += MAX_ESTIMATED_WORD) {
    out.push(chars.slice(i, i + MAX_ESTIMATED_WORD).join(''));
  }
}

function tokenize(text: string, tokenizer: Tokenizer | undefined, what: string): string[] {
  if (text === '') return [];
  const pieces = tokenizer ? tokenizer(text) : estimateTokens(text);
  const joined = pieces.join('');
  if (joined !== text) {
    let i = 0;
    while (i < text.length && text[i] === joined[i]) i++;
    throw new Error(`the tokenizer's pieces do not give back the ${what} text (they differ from character ${i + 1})`);
  }
  return pieces;
}

function token(text: string, phase: TokenPhase): TraceToken {
  return { id: -1, text, logprob: null, entropy: null, top: [], source: 'model', phase };
}

/**
 * The record as a TraceDocument. A record imported from a trace gives its trace back unchanged.
 * Tokens carry id -1 and no probabilities; `stopReason` is 'imported'. When the record has an
 * answer, the end-of-thinking delimiter is one answer-phase token followed by the answer, and a
 * `natural-end` event marks it.
 */
export function toTraceDocument(record: DatasetRecord, tokenizerOrOptions?: Tokenizer | ToTraceOptions): TraceDocument {
  if (record.trace) return record.trace;
  const options: ToTraceOptions = typeof tokenizerOrOptions === 'function' ? { tokenizer: tokenizerOrOptions } : (tokenizerOrOptions ?? {});
  const delimiters = options.delimiters ?? { thinkStart: '<think>', thinkEnd: '</think>' };
  const tokens: TraceToken[] = tokenize(record.thinking, options.tokenizer, 'thinking').map((t) => token(t, 'thinking'));
  const thinkingTokens = tokens.length;
  const events: TraceEvent[] = [];
  if (record.attempt !== null) {
    events.push({ kind: 'natural-end', at: tokens.length, thinkingTokens, detail: 'imported from text' });
    tokens.push(token(delimiters.thinkEnd, 'answer'));
    for (const t of tokenize(record.attempt, options.tokenizer, 'answer')) tokens.push(token(t, 'answer'));
  }
  const answerTokens = tokens.length - thinkingTokens;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: record.id,
    createdAt: options.createdAt ?? new Date().toISOString(),
    question: record.question,
    groundTruth: record.solution,
    prompt: record.question,
    model: { name: 'imported', path: null, sha256: null, engine: 'remote', chatTemplate: null },
    sampling: { temperature: 0, topK: 0, topP: 1, seed: 0 },
    budget: {
      minThinkingTokens: 0,
      maxThinkingTokens: null,
      ignoreEnd: null,
      extendWith: 'Wait',
      answerPrefix: 'Final Answer:',
      maxAnswerTokens: Math.max(1, answerTokens),
    },
    delimiters,
    tokens,
    events,
    thinkingTokens,
    answerTokens,
    answer: answerText({ tokens, delimiters }),
    stopReason: 'imported',
    generator: { name: 'thinkscope', version: pkg.version },
    tokenCounts: options.tokenizer ? 'tokenizer' : 'estimated',
  };
}
