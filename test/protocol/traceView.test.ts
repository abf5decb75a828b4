import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSourceInfo, isStepCommand, isTraceViewHostMessage, isTraceViewState, type TraceViewState } from '../../protocol/traceView';

const state: TraceViewState = { v: 1, traceId: 't', position: 12, heat: 'entropy', speed: 50, help: false, source: { label: 'a.trace.json', uri: 'file:///a.trace.json' } };

describe('trace view guards', () => {
  test('saved state', () => {
    assert.equal(isTraceViewState(state), true);
    assert.equal(isTraceViewState({ ...state, source: null, traceId: null }), true);
    for (const bad of [null, {}, { ...state, v: 2 }, { ...state, position: -1 }, { ...state, position: 1.5 }, { ...state, heat: 'hot' }, { ...state, speed: 0 }, { ...state, source: { uri: 3 } }]) {
      assert.equal(isTraceViewState(bad), false, JSON.stringify(bad));
    }
  });

  test('inbound messages', () => {
    assert.equal(isTraceViewHostMessage({ type: 'command', command: 'nextCue' }), true);
    assert.equal(isTraceViewHostMessage({ type: 'command', command: 'format-disk' }), false);
    assert.equal(isTraceViewHostMessage({ type: 'load', trace: { tokens: [] }, source: { label: 'x' }, live: false }), true);
    assert.equal(isTraceViewHostMessage({ type: 'load', trace: { tokens: [] }, source: { label: 'x' } }), false, 'live is required');
    assert.equal(isTraceViewHostMessage({ type: 'progress', progress: { tokens: [], events: [], offset: 3 } }), true);
    assert.equal(isTraceViewHostMessage({ type: 'progress', progress: { tokens: [], events: [], offset: -3 } }), false);
    assert.equal(isTraceViewHostMessage({ type: 'failed', message: 'x' }), true);
    assert.equal(isTraceViewHostMessage({ type: 'analysis', analysis: { steps: [] } }), true);
    assert.equal(isTraceViewHostMessage({ type: 'unknown' }), false);
    assert.equal(isTraceViewHostMessage('load'), false);
  });

  test('commands and sources', () => {
    assert.equal(isStepCommand('toggleHeat'), true);
    assert.equal(isStepCommand('toString'), false);
    assert.equal(isSourceInfo({ label: 'x' }), true);
    assert.equal(isSourceInfo({ label: 1 }), false);
  });
});
