import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRunProgress } from '../../protocol/liveTrace';
import type { RunProgress } from '../../protocol/rpc';
import { knownTrace } from '../webview/fixtures';

const progress = (offset: number, n: number, events: RunProgress['events'] = []): RunProgress => ({
  runId: 'run-1', offset, tokens: knownTrace().tokens.slice(offset, offset + n), events, thinkingTokens: offset + n, answerTokens: 0, tokensPerSecond: 20,
});

describe('applyRunProgress', () => {
  test('appends tokens and events and takes the counts', () => {
    const trace = knownTrace();
    trace.tokens = [];
    trace.events = [];
    assert.deepEqual(applyRunProgress(trace, progress(0, 10)), { from: 0, truncated: false });
    assert.deepEqual(applyRunProgress(trace, progress(10, 10, [{ kind: 'suppressed-end', at: 17 }])), { from: 10, truncated: false });
    assert.equal(trace.tokens.length, 20);
    assert.equal(trace.events.length, 1);
    assert.equal(trace.thinkingTokens, 20);
    assert.deepEqual(trace.tokens.map((t) => t.text), knownTrace().tokens.slice(0, 20).map((t) => t.text));
  });

  test('a smaller offset rewinds: later tokens and events go', () => {
    const trace = knownTrace();
    assert.deepEqual(applyRunProgress(trace, progress(17, 2, [{ kind: 'rewind', at: 17 }])), { from: 17, truncated: true });
    assert.equal(trace.tokens.length, 19);
    assert.deepEqual(trace.events.map((e) => e.kind), ['rewind']);
  });

  test('a gap is an error that names the run', () => {
    const trace = knownTrace();
    trace.tokens = [];
    assert.throws(() => applyRunProgress(trace, progress(5, 1)), /run run-1 starts at token 5 but only 0 tokens were received/);
  });
});
