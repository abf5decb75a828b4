import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeAlternatives, decodeTokenColumns, encodeTokenColumns, isTraceColumns } from '../../protocol/traceColumns';
import type { TraceToken } from '../../protocol/trace';
import { knownTrace } from '../webview/fixtures';

const tokenArbitrary: fc.Arbitrary<TraceToken> = fc.record({
  id: fc.integer({ min: 0, max: 200_000 }),
  text: fc.string({ unit: 'grapheme', maxLength: 6 }),
  logprob: fc.option(fc.double({ min: -50, max: 0, noNaN: true }), { nil: null }),
  entropy: fc.option(fc.double({ min: 0, max: 12, noNaN: true }), { nil: null }),
  top: fc.array(fc.record({ id: fc.integer({ min: 0, max: 200_000 }), text: fc.string({ maxLength: 5 }), logprob: fc.double({ min: -50, max: 0, noNaN: true }) }), { maxLength: 5 }),
  source: fc.constantFrom('model' as const, 'injected' as const, 'forced' as const),
  phase: fc.constantFrom('thinking' as const, 'answer' as const),
});

describe('trace columns', () => {
  test('encode then decode gives the tokens back, alternatives on demand', () => {
    fc.assert(fc.property(fc.array(tokenArbitrary, { maxLength: 40 }), (tokens) => {
      const columns = encodeTokenColumns(tokens);
      assert.ok(isTraceColumns(columns));
      const decoded = decodeTokenColumns(columns);
      const plain = tokens.map((t) => ({ ...t, top: t.top.map((a) => ({ ...a })) }));
      assert.deepEqual(decoded.map((t, i) => ({ ...t, top: decodeAlternatives(columns, i) })), plain);
    }));
  });

  test('a structured clone keeps the columns valid', () => {
    const columns = structuredClone(encodeTokenColumns(knownTrace().tokens));
    assert.ok(isTraceColumns(columns));
    assert.equal(decodeTokenColumns(columns).map((t) => t.text).join(''), knownTrace().tokens.map((t) => t.text).join(''));
    assert.deepEqual(decodeAlternatives(columns, 99), []);
  });

  test('inconsistent columns are refused', () => {
    const good = encodeTokenColumns(knownTrace().tokens);
    assert.equal(isTraceColumns({ ...good, count: good.count + 1 }), false);
    assert.equal(isTraceColumns({ ...good, text: `${good.text}x` }), false);
    assert.equal(isTraceColumns({ ...good, ids: Array.from(good.ids) }), false, 'plain arrays are not columns');
    const ends = good.textEnds.slice();
    ends[ends.length - 1] = 0;
    assert.equal(isTraceColumns({ ...good, textEnds: ends }), false);
    assert.equal(isTraceColumns(null), false);
  });
});
