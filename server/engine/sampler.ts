/**
 * Per-token metadata and sampling from a full-vocabulary distribution.
 *
 * The engine hands over the model's next-token distribution (softmax of the raw logits, temperature
 * 1, every token). From it this module computes what a trace records — the chosen token's
 * log-probability, the distribution's entropy and the top alternatives, all of the model's own
 * distribution, as OpenAI-compatible servers report logprobs — and picks the next token with the
 * user's temperature, top-k, top-p and min-p using a seeded generator, so a seed reproduces a trace.
 */
import type { SamplingSettings } from '../../protocol/trace';

/** A probability distribution as parallel arrays (ids and probabilities). */
export interface Distribution {
  ids: Int32Array | number[];
  probs: Float64Array | number[];
}

export interface TokenStats {
  logprob: number;
  entropy: number;
  /** Most likely first: [id, logprob]. */
  top: Array<[number, number]>;
}

/** A small, fast, seedable generator (mulberry32). Same seed, same sequence. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }
  /** An independent generator in the same state (a fork continues the same random stream). */
  clone(): SeededRandom {
    const copy = new SeededRandom(0);
    copy.state = this.state;
    return copy;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Entropy (nats) and the k most likely tokens of a distribution, in one pass. */
export function summarize(dist: Distribution, k: number): { entropy: number; top: Array<[number, number]> } {
  const { ids, probs } = dist;
  let entropy = 0;
  // `top` kept sorted descending by probability; k is small (≤ 20), insertion is cheapest.
  const topIds: number[] = [];
  const topProbs: number[] = [];
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p > 0) entropy -= p * Math.log(p);
    // A token the model gives no probability at all is no alternative (its log would be -Infinity).
    if (k === 0 || p <= 0) continue;
    if (topProbs.length === k && p <= topProbs[k - 1]!) continue;
    let j = topProbs.length < k ? topProbs.length : k - 1;
    while (j > 0 && topProbs[j - 1]! < p) {
      if (j < k) {
        topProbs[j] = topProbs[j - 1]!;
        topIds[j] = topIds[j - 1]!;
      }
      j--;
    }
    topProbs[j] = p;
    topIds[j] = ids[i]!;
  }
  return { entropy: Math.max(0, entropy), top: topIds.map((id, i) => [id, Math.log(topProbs[i]!)]) };
}

/** The probability of one token in a distribution (0 when absent). */
export function probabilityOf(dist: Distribution, id: number): number {
  const { ids, probs } = dist;
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return probs[i]!;
  return 0;
}

/**
 * Picks the next token. Temperature 0 is greedy (the most likely token, lowest id on ties).
 * Otherwise probabilities are tempered (p^(1/T)), cut by top-k, top-p and min-p, and one is drawn.
 */
export function sampleToken(dist: Distribution, sampling: SamplingSettings, rng: SeededRandom): number {
  const { ids, probs } = dist;
  if (sampling.temperature <= 0) {
    let best = -1;
    let bestP = -1;
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i]!;
      if (p > bestP || (p === bestP && ids[i]! < ids[best]!)) {
        best = i;
        bestP = p;
      }
    }
    return ids[best]!;
  }
  const invT = 1 / sampling.temperature;
  // Candidates worth sorting: anything that could survive the cuts.
  let maxP = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i]! > maxP) maxP = probs[i]!;
  const floor = maxP * 1e-9;
  const cand: Array<{ id: number; w: number }> = [];
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p > floor) cand.push({ id: ids[i]!, w: Math.pow(p / maxP, invT) });
  }
  cand.sort((a, b) => b.w - a.w || a.id - b.id);
  let n = cand.length;
  if (sampling.topK > 0) n = Math.min(n, sampling.topK);
  let total = 0;
  for (let i = 0; i < n; i++) total += cand[i]!.w;
  if (sampling.topP < 1) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += cand[i]!.w / total;
      if (acc >= sampling.topP) {
        n = i + 1;
        break;
      }
    }
  }
  if (sampling.minP && sampling.minP > 0) {
    const cut = cand[0]!.w * sampling.minP;
    while (n > 1 && cand[n - 1]!.w < cut) n--;
  }
  total = 0;
  for (let i = 0; i < n; i++) total += cand[i]!.w;
  let r = rng.next() * total;
  for (let i = 0; i < n; i++) {
    r -= cand[i]!.w;
    if (r < 0) return cand[i]!.id;
  }
  return cand[n - 1]!.id;
}
