import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findJsonPathOffset, findJsonSyntaxError, lineColumn } from '../../../server/trace/jsonScan';
import { allPaths } from '../../protocol/traceArbitraries';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('findJsonSyntaxError', () => {
  test('valid JSON has no error', () => {
    for (const text of ['0', ' -1.5e+3 ', '"a\\u00e9\\n"', '[]', '{}', '[1, [2, {"a": null}], true, false]', '{"a":{"b":[]}}']) {
      assert.equal(findJsonSyntaxError(text), null, text);
    }
  });

  test('says what is wrong and where', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 0, /the text is empty/],
      ['{"a":1,}', 7, /expected a double-quoted key, got '\}'/],
      ['{"a":1', 6, /the object is not closed/],
      ['{"a":x}', 5, /unexpected 'x' where a value was expected/],
      ['[1 2]', 3, /expected ',' or '\]' after a value in an array, got '2'/],
      ['{"a" 1}', 5, /expected ':' after the key, got '1'/],
      ['"abc', 0, /unterminated string/],
      ['"a\u0001"', 2, /character U\+0001 inside a string/],
      ['"\\x"', 1, /invalid escape '\\x'/],
      ['"\\u12"', 1, /invalid \\u escape/],
      ['01', 1, /after the JSON value/],
      ['-', 0, /a digit must follow the minus sign/],
      ['1.', 2, /a digit must follow the decimal point/],
      ['1e+', 3, /a digit must follow the exponent/],
      ['{} {}', 3, /only one value is allowed/],
      ['[', 1, /unexpected end of the text where a value was expected/],
      ['tru', 0, /unexpected 't'/],
    ];
    for (const [text, offset, message] of cases) {
      const problem = findJsonSyntaxError(text);
      assert.ok(problem, text);
      assert.equal(problem.offset, offset, text);
      assert.match(problem.message, message, text);
    }
  });

  test('100,000 open brackets: an error at the end, no stack overflow', () => {
    const problem = findJsonSyntaxError('['.repeat(100_000));
    assert.equal(problem?.offset, 100_000);
    assert.equal(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), null);
  });

  test('agrees with JSON.parse on random texts (property, 3000 runs)', () => {
    const jsonish = fc.oneof(
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '.', 'e', 'u', ' ', '\n', 'a', 't', 'n', 'r', 'l', 's', 'f') }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(fc.jsonValue().map((v) => JSON.stringify(v, null, 1)), fc.nat(), fc.string({ maxLength: 2 })).map(([t, at, insert]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + insert + t.slice(i);
      }),
      fc.tuple(fc.jsonValue().map((v) => JSON.stringify(v)), fc.nat()).map(([t, at]) => t.slice(0, at % (t.length + 1))),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        assert.equal(findJsonSyntaxError(text) === null, parses(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('findJsonPathOffset', () => {
  const text = '{\n  "a": [1, {"b": "x"}],\n  "c d": {"e": null}\n}';

  test('finds values by path', () => {
    assert.equal(findJsonPathOffset(text, []), 0);
    assert.equal(text.slice(findJsonPathOffset(text, ['a'])).slice(0, 1), '[');
    assert.equal(text.slice(findJsonPathOffset(text, ['a', 1, 'b'])).slice(0, 3), '"x"');
    assert.equal(text.slice(findJsonPathOffset(text, ['c d', 'e'])).slice(0, 4), 'null');
  });

  test('falls back to the deepest existing ancestor', () => {
    assert.equal(findJsonPathOffset(text, ['a', 1, 'missing']), findJsonPathOffset(text, ['a', 1]));
    assert.equal(findJsonPathOffset(text, ['a', 7]), findJsonPathOffset(text, ['a']));
    assert.equal(findJsonPathOffset(text, ['zzz']), 0);
  });

  test('finds every path of random JSON where JSON.stringify puts it (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const pretty = JSON.stringify(value, null, 2);
        for (const path of allPaths(value).slice(0, 30)) {
          let v: unknown = value;
          for (const k of path) v = (v as Record<string | number, unknown>)[k];
          const offset = findJsonPathOffset(pretty, path);
          const expected = JSON.stringify(v, null, 2).split('\n')[0]!;
          assert.equal(pretty.slice(offset, offset + expected.length), expected, JSON.stringify(path));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('lineColumn', () => {
  test('1-based lines and columns', () => {
    assert.deepEqual(lineColumn('ab\ncd\n', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\ncd\n', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('ab\ncd\n', 6), { line: 3, column: 1 });
  });
});
