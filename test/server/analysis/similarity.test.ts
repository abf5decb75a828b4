import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findLoops, isContentWord, NoveltyTracker, wordRanges, wordStream } from '../../../server/analysis/similarity';

/** Word ranges of each text in a stream of the texts joined by blank lines. */
function streamOf(texts: string[]) {
  const ranges: { startChar: number; endChar: number }[] = [];
  let joined = '';
  for (const t of texts) {
    ranges.push({ startChar: joined.length, endChar: joined.length + t.length });
    joined += `${t}\n\n`;
  }
  const stream = wordStream(joined);
  return { stream, ranges: wordRanges(stream, ranges) };
}

describe('wordStream', () => {
  test('lower-cased words with their offsets, interned', () => {
    const s = wordStream('The cat, the HAT: 42!');
    assert.deepEqual([...s.ids].map((id) => s.vocabulary[id]), ['the', 'cat', 'the', 'hat', '42']);
    assert.deepEqual([...s.starts], [0, 4, 9, 13, 18]);
    assert.equal(s.ids[0], s.ids[2]);
  });
});

describe('findLoops', () => {
  const a = 'Count fingers on both hands: raise two fingers, then three more fingers.';
  test('identical and near-identical steps group together; short steps never do', () => {
    const { stream, ranges } = streamOf([a, 'Hmm.', 'Hmm.', 'A completely different line of reasoning about the sums.', `${a} Yes.`, a]);
    // Steps 0 and 5 are identical; step 4 adds one word: 11 of its 12 trigrams are step 0's (Jaccard 11/12).
    assert.deepEqual(findLoops(stream, ranges, 0.8, 8), [[0, 4, 5]]);
  });

  test('the threshold is a Jaccard similarity of word-trigram sets', () => {
    // 12 words → 10 trigrams; changing the last word leaves 9 shared of 11 in the union (0.818…).
    const b = 'Count fingers on both hands: raise two fingers, then three more toes.';
    const { stream, ranges } = streamOf([a, b]);
    assert.deepEqual(findLoops(stream, ranges, 0.8, 8), [[0, 1]]);
    assert.deepEqual(findLoops(stream, ranges, 0.85, 8), []);
  });

  test('the minimum word count leaves short steps out', () => {
    const { stream, ranges } = streamOf([a, a]);
    assert.deepEqual(findLoops(stream, ranges, 0.8, 13), []);
  });

  test('groups are transitive', () => {
    const w = (n: number) => Array.from({ length: 20 }, (_, i) => `w${i + n}`).join(' ');
    // w0…w19, w1…w20, w2…w21: neighbours share 17 of 19 trigrams (0.89); the ends share 16 of 20 (0.8).
    const { stream, ranges } = streamOf([w(0), w(1), w(2)]);
    assert.deepEqual(findLoops(stream, ranges, 0.85, 8), [[0, 1, 2]]);
  });
});

describe('NoveltyTracker', () => {
  test('the share of a step’s distinct content words not seen before', () => {
    const { stream, ranges } = streamOf(['Compute the triangle area with Heron formula.', 'Check the triangle area again using coordinates.']);
    const n = new NoveltyTracker(stream);
    // compute, triangle, area, heron, formula: 5 content words, all new.
    assert.deepEqual(n.observe(...ranges[0]!), { share: 1, distinct: 5 });
    // triangle, area, coordinates (check, again, using are function words): 1 of 3 new.
    assert.deepEqual(n.observe(...ranges[1]!), { share: 1 / 3, distinct: 3 });
  });

  test('content words', () => {
    assert.ok(isContentWord('triangle'));
    assert.ok(!isContentWord('the'));
    assert.ok(!isContentWord('is'));
  });
});
