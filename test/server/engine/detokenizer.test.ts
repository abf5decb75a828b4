import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncrementalDetokenizer } from '../../../server/engine/detokenizer';

// A byte-level vocabulary: token id = byte value, as SPM byte-fallback tokens are.
const decode = (tokens: readonly number[]) => new TextDecoder().decode(new Uint8Array(tokens));

test('a multi-byte character split over tokens comes out whole, on the token that completes it', () => {
  const d = new IncrementalDetokenizer((t) => decode(t));
  const bytes = [...new TextEncoder().encode('a→b😀')];
  const texts = bytes.map((b) => {
    const text = d.push(b);
    return { text, mid: d.midCharacter };
  });
  assert.deepEqual(texts.map((t) => t.text), ['a', '', '', '→', 'b', '', '', '', '😀']);
  assert.deepEqual(texts.map((t) => t.mid), [false, true, true, false, false, true, true, true, false]);
  assert.equal(texts.map((t) => t.text).join(''), 'a→b😀');
});

test('invalid bytes are given up after a few tokens instead of waiting forever', () => {
  const d = new IncrementalDetokenizer((t) => decode(t));
  const out = [0xe2, 0x86, 0x41].map((b) => d.push(b)).join('');
  assert.equal(out, '\uFFFDA');
  assert.equal(d.midCharacter, false);
});

test('clones continue independently', () => {
  const d = new IncrementalDetokenizer((t) => decode(t));
  d.push(0xe2);
  const c = d.clone();
  assert.equal(d.push(0x86), '');
  assert.equal(d.push(0x92), '→');
  assert.equal(c.midCharacter, true);
  assert.equal(c.push(0x86), '');
});
