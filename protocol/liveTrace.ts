/**
 * How a progress notification extends a trace that is being generated. The host keeps the live
 * trace with this (to reload a view that was hidden), and the view applies the same rule to its
 * own copy, so both agree token for token.
 */
import type { RunProgress } from './rpc';
import type { TraceDocument } from './trace';

/** What applying a progress message did. */
export interface ProgressApplied {
  /** The first token index whose content changed (old tokens from here on were replaced or new ones added). */
  from: number;
  /** Whether tokens after `progress.offset` were dropped first (a rewind). */
  truncated: boolean;
}

/**
 * Applies `progress` to `trace` in place. Tokens from `progress.offset` on are replaced by the
 * progress tokens: an offset equal to the current length appends, a smaller one rewinds first (the
 * abandoned tokens, and the events at or after the offset, are dropped). Throws when the offset
 * lies beyond the tokens received so far, since tokens in between were lost.
 */
export function applyRunProgress(trace: TraceDocument, progress: RunProgress): ProgressApplied {
  const length = trace.tokens.length;
  if (progress.offset > length) {
    throw new Error(
      `progress for run ${progress.runId} starts at token ${progress.offset} but only ${length} tokens were received`,
    );
  }
  const truncated = progress.offset < length;
  if (truncated) {
    trace.tokens.length = progress.offset;
    trace.events = trace.events.filter((e) => e.at < progress.offset);
  }
  for (const token of progress.tokens) trace.tokens.push(token);
  for (const event of progress.events) trace.events.push(event);
  trace.thinkingTokens = progress.thinkingTokens;
  trace.answerTokens = progress.answerTokens;
  return { from: progress.offset, truncated };
}
