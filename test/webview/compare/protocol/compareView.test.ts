import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ANALYSIS_REQUEST,
  cellKeyString,
  isCompareViewInbound,
  isCompareViewOutbound,
  isCompareViewState,
  parseCompareViewOutbound,
  planCellKeys,
} from '../../../../protocol/compareView';
import { InputError } from '../../../../protocol/validation';
import { progressOf, sweepFixture } from '../fixtures';

describe('messages from the compare view', () => {
  test('every well-formed message is accepted', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'openTrace', traceId: 'trace-1' },
      { type: 'openTrace', traceId: 'trace-1', token: 0 },
      { type: 'requestAnalysis', traceIds: [] },
      { type: 'requestAnalysis', traceIds: ['a', 'b'] },
      { type: 'selectCells', a: 0, b: 19 },
      { type: 'error', message: 'boom' },
    ]) {
      assert.deepEqual(parseCompareViewOutbound(message), message);
      assert.ok(isCompareViewOutbound(message));
    }
  });

  const refused: Array<[unknown, RegExp]> = [
    [null, /the message must be an object, got null/],
    [[], /must be an object, got an array/],
    [{ type: 'launch' }, /type must be one of "ready", "openTrace", "requestAnalysis", "selectCells", "error", got "launch"/],
    [{ type: 'ready', extra: 1 }, /extra/],
    [{ type: 'openTrace' }, /traceId must be a trace id .*got nothing/],
    [{ type: 'openTrace', traceId: '' }, /traceId must be a trace id/],
    [{ type: 'openTrace', traceId: 'x'.repeat(513) }, /traceId must be a trace id/],
    [{ type: 'openTrace', traceId: 't', token: -1 }, /token must be an integer from 0/],
    [{ type: 'openTrace', traceId: 't', token: 1.5 }, /token must be an integer from 0/],
    [{ type: 'openTrace', traceId: 't', token: '3' }, /token must be an integer from 0/],
    [{ type: 'requestAnalysis', traceIds: 'a' }, /traceIds must be an array of trace ids/],
    [{ type: 'requestAnalysis', traceIds: ['a', 3] }, /traceIds\[1\] must be a trace id/],
    [{ type: 'requestAnalysis', traceIds: Array(MAX_ANALYSIS_REQUEST + 1).fill('a') }, /at most 1024 traces/],
    [{ type: 'selectCells', a: 1 }, /b must be an integer/],
    [{ type: 'selectCells', a: 1, b: Number.NaN }, /b must be an integer/],
    [{ type: 'error', message: 3 }, /message must be a string/],
    [{ type: 'error', message: 'x'.repeat(64 * 1024 + 1) }, /at most 65536 characters/],
  ];
  for (const [message, error] of refused) {
    test(`refuses ${JSON.stringify(message)?.slice(0, 60)}`, () => {
      assert.throws(() => parseCompareViewOutbound(message, 'compare view'), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, /^compare view: /);
        assert.match(e.message, error);
        return true;
      });
      assert.equal(isCompareViewOutbound(message), false);
    });
  }
});

describe('messages to the compare view', () => {
  test('are recognised by type and payload', () => {
    const sweep = sweepFixture();
    const source = { label: 'a.sweep.json' };
    const outline = { question: 'q', groundTruth: null, budgets: [64], waitCounts: [0], extendWith: ['Wait'], mode: 'shared' as const };
    assert.ok(isCompareViewInbound({ type: 'start', outline, source }));
    assert.ok(isCompareViewInbound({ type: 'load', sweep, source, live: false }));
    assert.ok(isCompareViewInbound({ type: 'progress', progress: progressOf(sweep, 'r')[0] }));
    assert.ok(isCompareViewInbound({ type: 'finished', sweep, path: '/w/a.sweep.json' }));
    assert.ok(isCompareViewInbound({ type: 'failed', message: 'no model' }));
    assert.ok(isCompareViewInbound({ type: 'analysis', traceId: 't', analysis: null }));
    assert.ok(isCompareViewInbound({ type: 'analysis', traceId: 't', analysis: { steps: [], candidates: [], cues: [], metrics: {} } }));
    assert.equal(isCompareViewInbound({ type: 'load', sweep: {}, source, live: false }), false);
    assert.equal(isCompareViewInbound({ type: 'start', outline: { question: 'q' }, source }), false);
    assert.equal(isCompareViewInbound({ type: 'analysis', traceId: 't' }), false);
    assert.equal(isCompareViewInbound({ type: 'position', token: 3 }), false);
    assert.equal(isCompareViewInbound('load'), false);
  });
});

describe('the saved state', () => {
  test('is checked field by field', () => {
    const state = { v: 1, sweepId: 's', extendWith: 'Wait', pair: ['a', 'b'], focus: null };
    assert.ok(isCompareViewState(state));
    assert.ok(isCompareViewState({ ...state, pair: null, sweepId: null, extendWith: null }));
    assert.equal(isCompareViewState({ ...state, v: 2 }), false);
    assert.equal(isCompareViewState({ ...state, pair: ['a'] }), false);
    assert.equal(isCompareViewState({ ...state, pair: ['a', 3] }), false);
    assert.equal(isCompareViewState({ ...state, focus: 3 }), false);
    assert.equal(isCompareViewState(undefined), false);
  });
});

describe('planCellKeys', () => {
  test('orders by extension string, then Wait count, then budget, dropping repeats', () => {
    const keys = planCellKeys({ budgets: [64, 128, 64], waitCounts: [0, null], extendWith: ['Wait', 'Hmm', 'Wait'] });
    assert.deepEqual(keys.map(cellKeyString), [
      '[64,0,"Wait"]', '[128,0,"Wait"]', '[64,null,"Wait"]', '[128,null,"Wait"]',
      '[64,0,"Hmm"]', '[128,0,"Hmm"]', '[64,null,"Hmm"]', '[128,null,"Hmm"]',
    ]);
  });

  test('is the order of the fixture sweep cells (as the server writes them)', () => {
    const sweep = sweepFixture();
    assert.deepEqual(planCellKeys(sweep.settings).map(cellKeyString), sweep.cells.map((c) => cellKeyString(c.key)));
  });

  test('cell keys tell null from the string "null"', () => {
    assert.notEqual(cellKeyString({ maxThinkingTokens: null, ignoreEnd: 0, extendWith: 'x' }), cellKeyString({ maxThinkingTokens: 0, ignoreEnd: null, extendWith: 'x' }));
  });
});
