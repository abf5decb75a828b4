import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EDIT_LENGTH, sideBySideDiff } from '../../../webview/apps/compare/wordDiff';

const text = (segments: { text: string; kind: string }[], kind: string) => segments.filter((s) => s.kind === kind).map((s) => s.text.trim());

describe('sideBySideDiff', () => {
  test('puts removed words on the left and inserted words on the right', () => {
    const diff = sideBySideDiff('The product is 398, so the answer is 398.', 'The product is 408, so the answer is 408.');
    assert.deepEqual(text(diff.left, 'removed'), ['398', '398']);
    assert.deepEqual(text(diff.right, 'inserted'), ['408', '408']);
    assert.equal(diff.removedWords, 2);
    assert.equal(diff.insertedWords, 2);
    assert.equal(diff.tooDifferent, false);
    // Each side, joined, is its own text again.
    assert.equal(diff.left.map((s) => s.text).join(''), 'The product is 398, so the answer is 398.');
    assert.equal(diff.right.map((s) => s.text).join(''), 'The product is 408, so the answer is 408.');
    assert.ok(!diff.left.some((s) => s.kind === 'inserted'));
    assert.ok(!diff.right.some((s) => s.kind === 'removed'));
  });

  test('counts words and punctuation of added runs', () => {
    const diff = sideBySideDiff('It is 408.', 'It is 408. Checked twice, it holds.');
    assert.equal(diff.removedWords, 0);
    assert.equal(diff.insertedWords, 6);
  });

  test('same texts have no changes', () => {
    const diff = sideBySideDiff('\\boxed{408}', '\\boxed{408}');
    assert.equal(diff.removedWords + diff.insertedWords, 0);
    assert.ok(diff.left.every((s) => s.kind === 'same'));
  });

  test('texts too different to align are shown whole, one side removed, the other inserted', () => {
    const words = (seed: number) => Array.from({ length: MAX_EDIT_LENGTH + 500 }, (_, i) => `w${(i * seed) % 9973}`).join(' ');
    const diff = sideBySideDiff(words(7), words(13));
    assert.equal(diff.tooDifferent, true);
    assert.deepEqual(diff.left.map((s) => s.kind), ['removed']);
    assert.deepEqual(diff.right.map((s) => s.kind), ['inserted']);
    assert.equal(diff.removedWords, MAX_EDIT_LENGTH + 500);
  });

  test('an empty side has no segments', () => {
    const diff = sideBySideDiff('', 'Final answer 408');
    assert.deepEqual(diff.left, []);
    assert.equal(diff.insertedWords, 3);
  });
});
