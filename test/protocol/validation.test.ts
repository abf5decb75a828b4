import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TraceFormatError,
  checkPlainJson,
  closestKey,
  describeSpec,
  describeValue,
  failWith,
  formatJsonPath,
} from '../../protocol/validation';

describe('formatJsonPath', () => {
  test('keys, indices and odd keys', () => {
    assert.equal(formatJsonPath([]), '');
    assert.equal(formatJsonPath(['tokens', 12, 'logprob']), 'tokens[12].logprob');
    assert.equal(formatJsonPath(['model', 'a b', 0]), 'model["a b"][0]');
    assert.equal(formatJsonPath([0, '$x']), '[0].$x');
  });
});

describe('describeValue', () => {
  test('each kind of value', () => {
    assert.equal(describeValue(undefined), 'nothing');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue('x'), '"x"');
    assert.equal(describeValue(-1), '-1');
    assert.equal(describeValue(NaN), 'NaN');
    assert.equal(describeValue(Infinity), 'Infinity');
    assert.equal(describeValue(false), 'false');
    assert.equal(describeValue([1, 2]), 'an array of 2');
    assert.equal(describeValue({}), 'an object');
    assert.equal(describeValue(10n), 'a bigint');
    assert.equal(describeValue('z'.repeat(50)), `"${'z'.repeat(40)}…" (50 characters)`);
  });
});

describe('describeSpec', () => {
  test('reads as English', () => {
    assert.equal(describeSpec({ kind: 'integer', minimum: 0 }), 'a non-negative integer');
    assert.equal(describeSpec({ kind: 'integer', minimum: 1 }), 'a positive integer');
    assert.equal(describeSpec({ kind: 'integer', minimum: -1 }), 'an integer ≥ -1');
    assert.equal(describeSpec({ kind: 'nullable', of: { kind: 'string' } }), 'a string or null');
    assert.equal(describeSpec({ kind: 'enum', values: ['a', 'b'] }), 'one of "a", "b"');
    assert.equal(describeSpec({ kind: 'string', pattern: '^x$' }), 'a string matching ^x$');
  });
});

describe('closestKey', () => {
  const known = ['minThinkingTokens', 'maxThinkingTokens', 'temperature'];
  test('suggests a near miss, a prefix, a different case', () => {
    assert.equal(closestKey('maxThinking', known), 'maxThinkingTokens');
    assert.equal(closestKey('temprature', known), 'temperature');
    assert.equal(closestKey('MAXTHINKINGTOKENS', known), 'maxThinkingTokens');
  });
  test('suggests nothing for an unrelated key', () => {
    assert.equal(closestKey('colour', known), null);
  });
});

describe('checkPlainJson', () => {
  const fail = failWith(TraceFormatError, 'x.json', 'the trace');
  test('accepts plain JSON up to the depth limit', () => {
    let v: unknown = 1;
    for (let i = 0; i < 99; i++) v = { a: v };
    checkPlainJson(v, ['extra'], fail);
  });
  test('refuses deeper values with the path', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100; i++) v = [v];
    assert.throws(() => checkPlainJson(v, ['extra'], fail), (e: unknown) => e instanceof TraceFormatError && e.rule === 'limit' && e.path.length === 100);
  });
  test('accepts objects without a prototype, as JSON.parse may make', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.a = 1;
    checkPlainJson(o, ['extra'], fail);
  });
});

describe('error relocation', () => {
  test('keeps the class, the path and the detail', () => {
    const e = new TraceFormatError({ where: 'a.json', path: ['tokens', 1], detail: 'must be an object, got 3', rule: 'structure' });
    const moved = e.relocated('a.json:7:5');
    assert.ok(moved instanceof TraceFormatError);
    assert.equal(moved.message, 'a.json:7:5: tokens[1] must be an object, got 3');
    assert.deepEqual(moved.path, ['tokens', 1]);
  });
});
