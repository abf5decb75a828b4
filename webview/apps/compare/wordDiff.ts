/**
 * A word-level diff of two answers (the `diff` package's diffWords), split into the two sides of a
 * side-by-side view: the left side keeps what both share and what was removed, the right side what
 * both share and what was inserted. Pure.
 */
import { diffWords } from 'diff';

/** A run of text on one side, and whether it is only on that side. */
export interface DiffSegment {
  text: string;
  kind: 'same' | 'removed' | 'inserted';
}

export interface SideBySideDiff {
  left: DiffSegment[];
  right: DiffSegment[];
  /** Words removed from the left and inserted on the right (punctuation marks count as words). */
  removedWords: number;
  insertedWords: number;
  /** True when the answers differ too much to align in time; each side is then shown whole. */
  tooDifferent: boolean;
}

/** Past this many edits the diff gives up and shows both sides whole (keeps the view responsive). */
export const MAX_EDIT_LENGTH = 4000;

function words(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

/** Diffs `left` against `right` word by word (whitespace differences are ignored). */
export function sideBySideDiff(left: string, right: string): SideBySideDiff {
  const changes = diffWords(left, right, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) {
    return {
      left: left ? [{ text: left, kind: 'removed' }] : [],
      right: right ? [{ text: right, kind: 'inserted' }] : [],
      removedWords: words(left),
      insertedWords: words(right),
      tooDifferent: true,
    };
  }
  const out: SideBySideDiff = { left: [], right: [], removedWords: 0, insertedWords: 0, tooDifferent: false };
  for (const change of changes) {
    if (change.added) {
      out.right.push({ text: change.value, kind: 'inserted' });
      out.insertedWords += words(change.value);
    } else if (change.removed) {
      out.left.push({ text: change.value, kind: 'removed' });
      out.removedWords += words(change.value);
    } else {
      out.left.push({ text: change.value, kind: 'same' });
      out.right.push({ text: change.value, kind: 'same' });
    }
  }
  return out;
}
