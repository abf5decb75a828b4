/**
 * Builds TraceDocuments for tests from readable pieces: model thinking text, injected extensions,
 * forced and natural ends, answer text. Text is split into word-like tokens (a word with its
 * leading spaces, a punctuation mark, a run of newlines), so `tokens.map(t => t.text).join('')`
 * is exactly the pieces' text.
 */
import type { TokenPhase, TokenSource, TraceDocument, TraceEvent, TraceEventKind, TraceToken } from '../../../protocol/trace';

export interface Piece {
  text: string;
  phase: TokenPhase;
  source: TokenSource;
  /** An event recorded at the piece's first token. */
  event?: Omit<TraceEvent, 'at'>;
  /** Keep the piece as one token instead of splitting it into words. */
  whole?: boolean;
}

/** Model text in the thinking phase. */
export const think = (text: string): Piece => ({ text, phase: 'thinking', source: 'model' });
/** Model text in the answer phase. */
export const answer = (text: string): Piece => ({ text, phase: 'answer', source: 'model' });
/** A suppressed end of thinking: `text` injected in its place (one token), with its event. */
export const injected = (text = 'Wait', wantedLogprob = Math.log(0.9)): Piece => ({
  text,
  phase: 'thinking',
  source: 'injected',
  whole: true,
  event: { kind: 'suppressed-end', wanted: { id: 2, text: '</think>', logprob: wantedLogprob }, injected: text },
});
/** A budget cut: the delimiter and answer prefix forced (answer phase), with its event. */
export const forcedEnd = (thinkingTokens: number, text = '</think>\nFinal Answer:', wanted = ' the'): Piece => ({
  text,
  phase: 'answer',
  source: 'forced',
  event: { kind: 'forced-end', wanted: { id: 77, text: wanted, logprob: Math.log(0.4) }, injected: text, thinkingTokens },
});
/** The model ending thinking by itself. */
export const naturalEnd = (text = '</think>'): Piece => ({
  text,
  phase: 'answer',
  source: 'model',
  whole: true,
  event: { kind: 'natural-end' as TraceEventKind },
});

/** Word-like tokens: newline runs, a word with its leading blanks, one other character. */
export function splitWords(text: string): string[] {
  return text.match(/\n+|[ \t]*[\p{L}\p{N}]+|[ \t]*[^\s\p{L}\p{N}]|[ \t]+|\s/gu) ?? [];
}

/** A trace made of `pieces`; `extra` overrides header fields (groundTruth, question…). */
export function traceOf(pieces: readonly Piece[], extra: Partial<TraceDocument> = {}): TraceDocument {
  const tokens: TraceToken[] = [];
  const events: TraceEvent[] = [];
  for (const piece of pieces) {
    const at = tokens.length;
    const parts = piece.whole ? [piece.text] : splitWords(piece.text);
    for (const text of parts) tokens.push(tokenOf(text, piece, tokens.length));
    if (piece.event) events.push({ ...piece.event, at });
  }
  const thinkingTokens = tokens.filter((t) => t.phase === 'thinking').length;
  return {
    format: 'thinkscope.trace',
    version: 1,
    id: 'trace-test',
    createdAt: '2025-01-01T00:00:00.000Z',
    question: 'What is 2 + 3?',
    groundTruth: null,
    prompt: '<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n<|im_start|>assistant\n<think>\n',
    model: { name: 'test-model', path: null, sha256: null, engine: 'local', chatTemplate: null },
    sampling: { temperature: 0, topK: 0, topP: 1, seed: 1 },
    budget: {
      minThinkingTokens: 0,
      maxThinkingTokens: null,
      ignoreEnd: null,
      extendWith: 'Wait',
      answerPrefix: 'Final Answer:',
      maxAnswerTokens: 256,
    },
    delimiters: { thinkStart: '<think>', thinkEnd: '</think>' },
    tokens,
    events,
    thinkingTokens,
    answerTokens: tokens.length - thinkingTokens,
    answer: tokens
      .filter((t) => t.phase === 'answer')
      .map((t) => t.text)
      .join('')
      .replace(/^[\s\S]*<\/think>/, '')
      .trim(),
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: '0.0.0-test' },
    ...extra,
  };
}

function tokenOf(text: string, piece: Piece, index: number): TraceToken {
  if (piece.source !== 'model') {
    return { id: 1000 + index, text, logprob: null, entropy: null, top: [], source: piece.source, phase: piece.phase };
  }
  const p = 0.5 + 0.1 * (index % 5); // 0.5 … 0.9
  return {
    id: 1000 + index,
    text,
    logprob: Math.log(p),
    entropy: 0.25 * (index % 4),
    top: [
      { id: 1000 + index, text, logprob: Math.log(p) },
      { id: 9, text: ' so', logprob: Math.log((1 - p) / 2) },
    ],
    source: 'model',
    phase: piece.phase,
  };
}

/** Index of the first token at or after `from` whose text is `text` (trimmed); throws when absent. */
export function tokenIndex(trace: TraceDocument, text: string, from = 0): number {
  for (let i = from; i < trace.tokens.length; i++) if (trace.tokens[i]!.text.trim() === text) return i;
  throw new Error(`no token ${JSON.stringify(text)} from ${from} in the test trace`);
}
