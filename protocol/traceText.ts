/**
 * The texts of a trace and its spans, computed from its tokens. Pure; used by the server, the
 * extension and the webviews alike. Character offsets are JavaScript string indices (UTF-16 code
 * units) into the generated text, as editors count them.
 */
import type { TokenPhase, TokenSource, TraceDocument, TraceToken } from './trace';

/** A maximal run of consecutive tokens with the same phase and source. */
export interface TraceSpan {
  phase: TokenPhase;
  source: TokenSource;
  /** Token range [startToken, endToken). */
  startToken: number;
  endToken: number;
  /** Character range [startChar, endChar) in the generated text. */
  startChar: number;
  endChar: number;
}

type HasTokens = Pick<TraceDocument, 'tokens'>;

/** Every token's text joined: exactly the text the model generated after the prompt. */
export function generatedText(trace: HasTokens): string {
  return joinTexts(trace.tokens, null);
}

/** The text of the thinking-phase tokens, joined (all thinking blocks, in order). */
export function thinkingText(trace: HasTokens): string {
  return joinTexts(trace.tokens, 'thinking');
}

/** The text of the answer-phase tokens, joined, delimiters included. */
export function answerPhaseText(trace: HasTokens): string {
  return joinTexts(trace.tokens, 'answer');
}

/**
 * The trace's answer, as its `answer` field must hold it: the answer-phase text after the last
 * end-of-thinking delimiter in it (all of it when there is none), with whitespace trimmed at both
 * ends (String.prototype.trim).
 */
export function answerText(trace: Pick<TraceDocument, 'tokens' | 'delimiters'>): string {
  const text = answerPhaseText(trace);
  const end = trace.delimiters.thinkEnd;
  const cut = end === '' ? -1 : text.lastIndexOf(end);
  return (cut >= 0 ? text.slice(cut + end.length) : text).trim();
}

/**
 * Where each token starts in the generated text: `offsets[i]` for token i, and
 * `offsets[tokens.length]` is the text's length.
 */
export function tokenOffsets(trace: HasTokens): number[] {
  const tokens = trace.tokens;
  const offsets = new Array<number>(tokens.length + 1);
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    offsets[i] = at;
    at += tokens[i]!.text.length;
  }
  offsets[tokens.length] = at;
  return offsets;
}

/** The trace cut into maximal runs of tokens that share a phase and a source, in order. */
export function traceSpans(trace: HasTokens): TraceSpan[] {
  const spans: TraceSpan[] = [];
  const tokens = trace.tokens;
  let char = 0;
  let current: TraceSpan | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (current === null || current.phase !== t.phase || current.source !== t.source) {
      current = { phase: t.phase, source: t.source, startToken: i, endToken: i, startChar: char, endChar: char };
      spans.push(current);
    }
    char += t.text.length;
    current.endToken = i + 1;
    current.endChar = char;
  }
  return spans;
}

function joinTexts(tokens: readonly TraceToken[], phase: TokenPhase | null): string {
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (phase === null || t.phase === phase) parts.push(t.text);
  }
  return parts.join('');
}
