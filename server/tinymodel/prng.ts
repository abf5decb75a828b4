/**
 * A small seeded pseudo-random generator (mulberry32) for building model weights.
 *
 * Only integer arithmetic, sums and `Math.sqrt` (correctly rounded by IEEE 754) are used, so a
 * seed gives the same numbers on every platform and every JavaScript engine.
 */

/** A deterministic stream of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Approximately standard normal (mean 0, standard deviation 1; Irwin–Hall with 12 terms). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Creates a generator from a 32-bit seed (any integer; it is reduced modulo 2^32). */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new RangeError(`The seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform: next,
    normal() {
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += next();
      return sum - 6;
    },
    int(n) {
      return Math.floor(next() * n);
    },
  };
}
