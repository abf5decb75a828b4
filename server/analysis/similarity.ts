/**
 * Lexical similarity between steps: near-duplicate detection (word-trigram Jaccard, grouped) for
 * loops, and vocabulary novelty for "new approach" detection. The text is split into words once
 * (interned to integer ids); loops use an inverted index from trigram to the steps holding it
 * instead of comparing every pair of steps.
 */

/** The lower-cased words of a text, interned: ids[k] is word k's id, starts[k] its offset. */
export interface WordStream {
  ids: Int32Array;
  starts: Int32Array;
  /** id → the word. */
  vocabulary: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits `text` into lower-cased words (letters and digits). */
export function wordStream(text: string): WordStream {
  const lower = text.toLowerCase();
  const ids: number[] = [];
  const starts: number[] = [];
  const vocabulary: string[] = [];
  const intern = new Map<string, number>();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m !== null; m = WORD.exec(lower)) {
    let id = intern.get(m[0]);
    if (id === undefined) {
      id = vocabulary.length;
      vocabulary.push(m[0]);
      intern.set(m[0], id);
    }
    ids.push(id);
    starts.push(m.index);
  }
  return { ids: Int32Array.from(ids), starts: Int32Array.from(starts), vocabulary };
}

/** Word index ranges [from, to) of character ranges (sorted, non-overlapping) in a stream. */
export function wordRanges(stream: WordStream, ranges: readonly { startChar: number; endChar: number }[]): [number, number][] {
  const out: [number, number][] = [];
  let k = 0;
  const n = stream.starts.length;
  for (const r of ranges) {
    while (k < n && stream.starts[k]! < r.startChar) k++;
    const from = k;
    while (k < n && stream.starts[k]! < r.endChar) k++;
    out.push([from, k]);
  }
  return out;
}

/** How many recent steps each trigram remembers; bounds the work on degenerate, highly repetitive text. */
const POSTINGS_CAP = 32;

/**
 * Groups of near-duplicate word ranges: two ranges with at least `minWords` words whose sets of
 * word trigrams have Jaccard similarity ≥ `threshold` are linked, and linked ranges form a group
 * (transitively). Returns groups of two or more range indices, each sorted, ordered by first index.
 * Trigrams are compared by 30-bit hashes of their word ids: two different trigrams hash alike with
 * probability about 2^-30, far too rarely to move a similarity.
 */
export function findLoops(stream: WordStream, ranges: readonly [number, number][], threshold: number, minWords: number): number[][] {
  const ids = stream.ids;
  const postings = new Map<number, number[]>();
  const sizes = new Int32Array(ranges.length);
  const parent = Int32Array.from(ranges, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // shared[j]: trigrams step i shares with step j, for the steps in `touched`.
  const shared = new Int32Array(ranges.length);
  const touched: number[] = [];
  let keys = new Int32Array(256);
  for (let i = 0; i < ranges.length; i++) {
    const [from, to] = ranges[i]!;
    if (to - from < minWords) continue;
    // The step's distinct trigrams, as 30-bit hashes of their word ids (sorted, unique).
    const count = to - from - 2;
    if (keys.length < count) keys = new Int32Array(count * 2);
    for (let k = 0; k < count; k++) {
      const a = ids[from + k]!;
      const b = ids[from + k + 1]!;
      const c = ids[from + k + 2]!;
      keys[k] = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77) ^ Math.imul(c + 0x1b873593, 0xc2b2ae3d)) & 0x3fffffff;
    }
    const sorted = keys.subarray(0, count).sort();
    let size = 0;
    for (let k = 0; k < count; k++) if (size === 0 || sorted[k] !== sorted[size - 1]) sorted[size++] = sorted[k]!;
    sizes[i] = size;
    const lists: number[][] = [];
    for (let k = 0; k < size; k++) {
      const key = sorted[k]!;
      let list = postings.get(key);
      if (!list) {
        list = [];
        postings.set(key, list);
      }
      lists.push(list);
      for (let p = 0; p < list.length; p++) {
        const j = list[p]!;
        if (shared[j] === 0) touched.push(j);
        shared[j]!++;
      }
    }
    for (const j of touched) {
      const union = size + sizes[j]! - shared[j]!;
      if (union > 0 && shared[j]! / union >= threshold) parent[find(i)] = find(j);
      shared[j] = 0;
    }
    touched.length = 0;
    for (const list of lists) {
      list.push(i);
      if (list.length > POSTINGS_CAP) list.shift();
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < ranges.length; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()].filter((g) => g.length >= 2).sort((a, b) => a[0]! - b[0]!);
}

const STOPWORDS = new Set(
  (
    'the and that this with for are was were but not let then can from have has had which what when where ' +
    'there their they them these those its into onto also just so now one two our out you your yes all any ' +
    'how why who will would could should does did done may might must get got see use using used each such ' +
    'than too very more most some here only over same other about because since like need make sure check ' +
    'think thinking wait hmm okay right well maybe actually again first next step'
  ).split(' '),
);

/** Whether a word counts as content: three letters or more, not a common function word. */
export function isContentWord(word: string): boolean {
  return word.length >= 3 && !STOPWORDS.has(word);
}

/** Tracks the vocabulary of the ranges seen so far and measures how new a range's vocabulary is. */
export class NoveltyTracker {
  private readonly seen: Uint8Array;
  private readonly content: Uint8Array;
  private readonly inRange: Uint8Array;

  constructor(private readonly stream: WordStream) {
    this.seen = new Uint8Array(stream.vocabulary.length);
    this.inRange = new Uint8Array(stream.vocabulary.length);
    this.content = Uint8Array.from(stream.vocabulary, (w) => (isContentWord(w) ? 1 : 0));
  }

  /**
   * Share of the range's distinct content words that no earlier range used, and how many distinct
   * content words it has; then remembers them.
   */
  observe(from: number, to: number): { share: number; distinct: number } {
    const ids = this.stream.ids;
    let distinct = 0;
    let fresh = 0;
    for (let k = from; k < to; k++) {
      const id = ids[k]!;
      if (this.content[id] === 0 || this.inRange[id] === 1) continue;
      this.inRange[id] = 1;
      distinct++;
      if (this.seen[id] === 0) fresh++;
    }
    for (let k = from; k < to; k++) {
      const id = ids[k]!;
      this.inRange[id] = 0;
      if (this.content[id] === 1) this.seen[id] = 1;
    }
    return { share: distinct === 0 ? 0 : fresh / distinct, distinct };
  }
}
