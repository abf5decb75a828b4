/**
 * Splits a trace's tokens into blocks: the units the text view renders, measures and recycles.
 * A block ends at a paragraph break (a blank line) once it has a few lines, at a line break once
 * it is long, always where the phase changes (so the answer starts a block of its own), and at a
 * hard cap. The decision before token i depends only on tokens before i and token i's phase, so
 * streaming the tokens in any chunks gives the same blocks as loading them at once.
 */
import type { TextSource } from './textSource';

/** Block sizes in tokens. */
export const BLOCK_LIMITS = {
  /** No paragraph split before this many tokens. */
  min: 24,
  /** Past this many tokens any line break ends the block. */
  soft: 200,
  /** A block never holds more tokens than this. */
  max: 600,
} as const;

/** Index of the greatest element of sorted `values` that is ≤ `x`; -1 when none. */
export function lastAtOrBefore(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The token ranges of a trace's blocks. */
export class BlockIndex {
  /** starts[k]: the first token of block k. */
  readonly starts: number[] = [];
  private total = 0;

  /** Number of blocks. */
  get count(): number {
    return this.starts.length;
  }

  /** First token of block k. */
  start(k: number): number {
    return this.starts[k];
  }

  /** One past the last token of block k. */
  end(k: number): number {
    return k + 1 < this.starts.length ? this.starts[k + 1] : this.total;
  }

  /** The block holding token i (the last block for i past the end); -1 when there are no tokens. */
  blockOf(token: number): number {
    return lastAtOrBefore(this.starts, token);
  }

  /**
   * Brings the blocks up to date after tokens from `from` on changed (appended, or replaced
   * after a rewind). Returns the index of the first block whose tokens changed.
   */
  update(source: TextSource, from: number): number {
    const { tokens, charStart, text } = source;
    from = Math.max(0, Math.min(from, this.total));
    // Blocks starting at or after `from` are decided again.
    while (this.starts.length > 0 && this.starts[this.starts.length - 1] >= from) this.starts.pop();
    this.total = tokens.length;
    let current = this.starts.length > 0 ? this.starts[this.starts.length - 1] : 0;
    for (let i = from; i < tokens.length; i++) {
      if (i === 0) {
        this.starts.push(0);
        current = 0;
        continue;
      }
      const length = i - current;
      const c = charStart[i];
      const afterNewline = text.charCodeAt(c - 1) === 10;
      const split =
        tokens[i].phase !== tokens[i - 1].phase ||
        length >= BLOCK_LIMITS.max ||
        (afterNewline && length >= BLOCK_LIMITS.min && (length >= BLOCK_LIMITS.soft || text.charCodeAt(c - 2) === 10));
      if (split) {
        this.starts.push(i);
        current = i;
      }
    }
    return Math.max(0, this.blockOf(from));
  }
}
