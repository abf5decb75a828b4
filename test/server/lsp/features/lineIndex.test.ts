import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../../server/lsp/features/lineIndex';

describe('LineIndex', () => {
  const text = 'ab\ncd\r\n\nlast';
  const index = new LineIndex(text);

  test('offsets to positions and back', () => {
    assert.equal(index.lineCount, 4);
    for (let offset = 0; offset <= text.length; offset++) {
      const p = index.positionAt(offset);
      assert.equal(index.offsetAt(p), offset, `offset ${offset}`);
    }
    assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(text.length), { line: 3, character: 4 });
  });

  test('positions out of range are clamped', () => {
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
    assert.equal(index.offsetAt({ line: 99, character: 0 }), text.length);
    assert.equal(index.offsetAt({ line: -1, character: 5 }), 0);
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  });

  test('line starts and ends, a carriage return left out', () => {
    assert.deepEqual([index.lineStart(1), index.lineEnd(1)], [3, 5]);
    assert.deepEqual([index.lineStart(2), index.lineEnd(2)], [7, 7]);
    assert.deepEqual([index.lineStart(3), index.lineEnd(3)], [8, 12]);
    assert.equal(index.lineAt(4), 1);
  });

  test('characters are UTF-16 code units', () => {
    const emoji = new LineIndex('a😀b');
    assert.deepEqual(emoji.positionAt(3), { line: 0, character: 3 });
  });
});
