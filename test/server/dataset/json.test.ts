import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumnAt, parseJson, textDepthExceeds, toJsonValue, valueDepthExceeds } from '../../../server/dataset/json';
import { PRESCAN_LINE_BYTES } from '../../../server/dataset/limits';

describe('parseJson', () => {
  test('parses valid JSON', () => {
    assert.deepEqual(parseJson('{"a":[1,"x"]}'), { ok: true, value: { a: [1, 'x'] } });
  });

  test('reports the column of a syntax error on one line', () => {
    const r = parseJson('{"a": 1,, "b": 2}');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.column, 9);
      assert.match(r.message, /^invalid JSON/);
    }
  });

  test('reports line and column in multi-line documents', () => {
    const r = parseJson('{\n  "a": 1,\n  "b": ]\n}', { multiline: true });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.line, 3);
      assert.equal(r.column, 8);
    }
  });

  test('does not echo the input in messages', () => {
    const r = parseJson('secret model text that is not json');
    assert.equal(r.ok, false);
    if (!r.ok) assert.doesNotMatch(r.message, /secret model text/);
  });

  test('refuses nesting over the limit, short lines after parsing, long lines before', () => {
    const shallow = '['.repeat(100) + ']'.repeat(100);
    assert.equal(parseJson(shallow).ok, true);
    const deep = '['.repeat(101) + ']'.repeat(101);
    assert.deepEqual(parseJson(deep), { ok: false, message: 'nesting deeper than 100 levels' });
    const huge = '['.repeat(PRESCAN_LINE_BYTES) + ']'.repeat(PRESCAN_LINE_BYTES);
    assert.deepEqual(parseJson(huge), { ok: false, message: 'nesting deeper than 100 levels' });
  });
});

describe('depth checks', () => {
  test('textDepthExceeds ignores brackets inside strings and escaped quotes', () => {
    assert.equal(textDepthExceeds('{"a":"[[[[[\\"[[[["}', 2), false);
    assert.equal(textDepthExceeds('[[[1]]]', 2), true);
    assert.equal(textDepthExceeds('[[1],[2],[3]]', 2), false);
  });

  test('valueDepthExceeds counts objects and arrays', () => {
    assert.equal(valueDepthExceeds({ a: [{ b: 1 }] }, 3), false);
    assert.equal(valueDepthExceeds({ a: [{ b: [] }] }, 3), true);
    assert.equal(valueDepthExceeds('text', 0), false);
  });
});

describe('toJsonValue', () => {
  test('turns Parquet values into JSON values', () => {
    assert.deepEqual(
      toJsonValue({ big: 12n, huge: 2n ** 70n, d: new Date('2020-01-01T00:00:00Z'), b: new Uint8Array([104, 105]), f: new Float32Array([1.5]), n: NaN, u: undefined }),
      { big: 12, huge: '1180591620717411303424', d: '2020-01-01T00:00:00.000Z', b: 'aGk=', f: [1.5], n: null, u: null },
    );
  });
});

test('lineColumnAt', () => {
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumnAt('ab', 0), { line: 1, column: 1 });
});
