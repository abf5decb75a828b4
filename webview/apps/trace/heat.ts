/**
 * Heat colouring of tokens. Each token gets a bucket (0 cold … 9 hot) for probability and one
 * for entropy; the stylesheet colours a bucket only while its mode is on, so switching modes is a
 * class change on the text view, not a re-render.
 */
import type { TraceToken } from '../../../protocol/trace';

/** Number of heat buckets. */
export const HEAT_BUCKETS = 10;
/** Entropy (nats) at and above which a token is hottest. */
export const ENTROPY_FULL_SCALE = 3;

/** Probability bucket: an unlikely token is hot. null when the token was not sampled. */
export function probabilityBucket(token: TraceToken): number | null {
  if (token.logprob === null) return null;
  const p = Math.exp(token.logprob);
  return Math.max(0, Math.min(HEAT_BUCKETS - 1, Math.floor((1 - p) * HEAT_BUCKETS)));
}

/** Entropy bucket: an uncertain position is hot. null when entropy is unknown. */
export function entropyBucket(token: TraceToken): number | null {
  if (token.entropy === null) return null;
  return Math.max(0, Math.min(HEAT_BUCKETS - 1, Math.floor((token.entropy / ENTROPY_FULL_SCALE) * HEAT_BUCKETS)));
}

/** The heat classes of a token ("hp3 he7"), empty when it has neither value. */
export function heatClasses(token: TraceToken): string {
  const p = probabilityBucket(token);
  const e = entropyBucket(token);
  return `${p === null ? '' : ` hp${p}`}${e === null ? '' : ` he${e}`}`;
}
