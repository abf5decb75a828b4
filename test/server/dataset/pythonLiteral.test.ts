import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePythonLiteral } from '../../../server/dataset/pythonLiteral';

describe('parsePythonLiteral', () => {
  test('parses an s1K metadata dict with None, True, tuples and nested lists', () => {
    const text = `{'id': 385, 'level': 'Level 5', 'Part': None, 'solved': True, 'ok': False, 'pair': (1, -2.5e3), 'tags': ['a', "b's"]}`;
    assert.deepEqual(parsePythonLiteral(text), {
      id: 385,
      level: 'Level 5',
      Part: null,
      solved: true,
      ok: false,
      pair: [1, -2500],
      tags: ['a', "b's"],
    });
  });

  test('decodes string escapes, triple quotes and adjacent literals', () => {
    assert.equal(parsePythonLiteral(String.raw`'a\nb\t\'c\' \x41\u00e9\U0001F600 \101'`), "a\nb\t'c' Aé😀 A");
    assert.equal(parsePythonLiteral(`'''line one\nline 'two' '''`), "line one\nline 'two' ");
    assert.equal(parsePythonLiteral(`'ab' "cd"`), 'abcd');
    assert.equal(parsePythonLiteral(String.raw`'\frac{1}{2} \d'`), '\f' + 'rac{1}{2} \\d');
  });

  test('accepts JSON too, and trailing commas', () => {
    assert.deepEqual(parsePythonLiteral('{"a": [1, 2,], "b": null, "c": true,}'), { a: [1, 2], b: null, c: true });
    assert.deepEqual(parsePythonLiteral('1_000'), 1000);
  });

  test('returns undefined for anything that is not a literal', () => {
    for (const bad of ["{'a': 1", "{'a' 1}", 'datetime(2020, 1, 1)', "{'a': 1} extra", "'unterminated", '', "{[1]: 2}", "'a\nb'", 'nan']) {
      assert.equal(parsePythonLiteral(bad), undefined, bad);
    }
  });

  test('refuses nesting deeper than 64 without overflowing the stack', () => {
    assert.equal(parsePythonLiteral('['.repeat(100_000) + ']'.repeat(100_000)), undefined);
    assert.deepEqual(parsePythonLiteral('['.repeat(10) + ']'.repeat(10)), [[[[[[[[[[]]]]]]]]]]);
  });
});
