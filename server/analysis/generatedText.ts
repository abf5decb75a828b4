/**
 * The generated text of a trace (its tokens' text joined) with the character offset of every
 * token, and the maximal runs of tokens that share a phase. Every analysis module works on this
 * view so that token indices and character offsets stay in step.
 */
import type { TokenPhase, TraceToken } from '../../protocol/trace';

/** A maximal run of consecutive tokens in one phase: [startToken, endToken). */
export interface PhaseRun {
  phase: TokenPhase;
  startToken: number;
  endToken: number;
  startChar: number;
  endChar: number;
}

/** A trace's generated text with the offset of every token and its phase runs. */
export interface GeneratedText {
  tokens: readonly TraceToken[];
  text: string;
  /** starts[i]: offset in `text` where token i begins; starts[tokens.length] === text.length. */
  starts: Int32Array;
  runs: PhaseRun[];
}

/** Joins the tokens' text and records where each token starts and where each phase run lies. */
export function buildGeneratedText(tokens: readonly TraceToken[]): GeneratedText {
  const n = tokens.length;
  const starts = new Int32Array(n + 1);
  const parts: string[] = new Array<string>(n);
  const runs: PhaseRun[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const token = tokens[i]!;
    starts[i] = offset;
    parts[i] = token.text;
    offset += token.text.length;
    const last = runs[runs.length - 1];
    if (last && last.phase === token.phase) last.endToken = i + 1;
    else runs.push({ phase: token.phase, startToken: i, endToken: i + 1, startChar: 0, endChar: 0 });
  }
  starts[n] = offset;
  for (const run of runs) {
    run.startChar = starts[run.startToken]!;
    run.endChar = starts[run.endToken]!;
  }
  return { tokens, text: parts.join(''), starts, runs };
}

/**
 * Index of the token whose text contains character `char` (the last token starting at or before
 * it, so zero-length tokens are skipped). `char` at or past the end gives the last token; -1 for
 * a trace without tokens.
 */
export function tokenAtChar(g: GeneratedText, char: number): number {
  const n = g.tokens.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.starts[mid]! <= char) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the first token that starts at or after character `char` (tokens.length if none). */
export function firstTokenFrom(g: GeneratedText, char: number): number {
  let lo = 0;
  let hi = g.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g.starts[mid]! < char) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
