import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_LIMITS, BlockIndex, lastAtOrBefore } from '../../../../webview/apps/trace/blocks';
import { TokenText } from '../../../../webview/apps/trace/textSource';
import type { TraceToken } from '../../../../protocol/trace';
import { makeLongTrace } from '../../../../scripts/make-samples';
import { knownTrace } from '../../fixtures';

function blocksOf(tokens: TraceToken[]): number[] {
  const index = new BlockIndex();
  index.update(new TokenText(tokens), 0);
  return [...index.starts];
}

describe('BlockIndex', () => {
  test('the answer starts a block of its own', () => {
    assert.deepEqual(blocksOf(knownTrace().tokens), [0, 25]);
  });

  test('a long trace is cut into bounded blocks at line breaks', () => {
    const trace = makeLongTrace(6000, 3);
    const index = new BlockIndex();
    const text = new TokenText(trace.tokens);
    index.update(text, 0);
    assert.ok(index.count > 10, `only ${index.count} blocks`);
    for (let k = 0; k < index.count; k++) {
      const size = index.end(k) - index.start(k);
      assert.ok(size > 0 && size <= BLOCK_LIMITS.max, `block ${k} has ${size} tokens`);
      if (k > 0 && trace.tokens[index.start(k)].phase === trace.tokens[index.start(k) - 1].phase && size < BLOCK_LIMITS.max) {
        assert.equal(text.text[text.charStart[index.start(k)] - 1], '\n', `block ${k} starts after a line break`);
      }
    }
    assert.equal(index.end(index.count - 1), trace.tokens.length);
  });

  test('streaming in chunks, and rewinding, give the same blocks as loading at once', () => {
    const trace = makeLongTrace(3000, 5);
    const tokens: TraceToken[] = [];
    const text = new TokenText(tokens);
    const index = new BlockIndex();
    for (let at = 0; at < trace.tokens.length; at += 37) {
      const from = tokens.length;
      tokens.push(...trace.tokens.slice(at, at + 37));
      text.sync(from);
      index.update(text, from);
    }
    assert.deepEqual(index.starts, blocksOf(trace.tokens));
    // Rewind to 1000, then stream the rest again.
    tokens.length = 1000;
    text.sync(1000);
    index.update(text, 1000);
    assert.equal(index.end(index.count - 1), 1000);
    tokens.push(...trace.tokens.slice(1000));
    text.sync(1000);
    index.update(text, 1000);
    assert.deepEqual(index.starts, blocksOf(trace.tokens));
    assert.equal(index.blockOf(trace.tokens.length - 1), index.count - 1);
  });

  test('lastAtOrBefore', () => {
    assert.equal(lastAtOrBefore([0, 5, 9], 4), 0);
    assert.equal(lastAtOrBefore([0, 5, 9], 5), 1);
    assert.equal(lastAtOrBefore([0, 5, 9], 100), 2);
    assert.equal(lastAtOrBefore([3], 1), -1);
    assert.equal(lastAtOrBefore([], 1), -1);
  });
});
