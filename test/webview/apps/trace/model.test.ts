import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceModel, spanKindOf } from '../../../../webview/apps/trace/model';
import type { RunProgress } from '../../../../protocol/rpc';
import { KNOWN, knownTrace, token } from '../../fixtures';

function progress(offset: number, tokens = knownTrace().tokens.slice(offset), events: RunProgress['events'] = []): RunProgress {
  return { runId: 'r', tokens, events, offset, thinkingTokens: 0, answerTokens: 0, tokensPerSecond: 10 };
}

describe('TraceModel', () => {
  test('span kinds, answer start and events', () => {
    const model = new TraceModel(knownTrace());
    assert.equal(model.kind(0), 'thinking');
    assert.equal(model.kind(17), 'injected');
    assert.equal(model.kind(25), 'forced');
    assert.equal(model.kind(30), 'answer');
    assert.equal(spanKindOf(token('x', 'model', 'answer')), 'answer');
    assert.equal(model.answerStart, KNOWN.answerStart);
    assert.deepEqual(model.interventions.map((e) => e.token), [...KNOWN.interventions]);
    assert.equal(model.text.text.slice(model.text.charStart[17], model.text.charEnd(17)), 'Wait');
  });

  test('the intervention covering a token spans its injected or forced tokens', () => {
    const model = new TraceModel(knownTrace());
    assert.equal(model.interventionCovering(17)?.event.kind, 'suppressed-end');
    assert.equal(model.interventionCovering(18), null, 'the model token after the Wait');
    for (const i of [25, 26, 27, 28, 29]) assert.equal(model.interventionCovering(i)?.event.kind, 'forced-end', `token ${i}`);
    assert.equal(model.interventionCovering(30), null);
    assert.equal(model.interventionCovering(3), null);
  });

  test('live progress appends, rewinds and keeps structure up to date', () => {
    const header = knownTrace();
    const all = header.tokens;
    header.tokens = [];
    header.events = [];
    const model = new TraceModel(header);
    assert.equal(model.length, 0);
    assert.equal(model.answerStart, -1);
    model.applyProgress(progress(0, all.slice(0, 20), [knownTrace().events[0]]));
    assert.equal(model.length, 20);
    assert.deepEqual(model.steps.map((s) => s.startToken), [0, 8, 14, 17]);
    assert.equal(model.interventions.length, 1);
    model.applyProgress(progress(20, all.slice(20), [knownTrace().events[1]]));
    assert.equal(model.answerStart, 25);
    assert.deepEqual(model.steps.map((s) => s.startToken), [...KNOWN.stepStarts]);
    // Rewind to 22: the forced end and the answer go.
    model.applyProgress(progress(22, [token(' hmm')]));
    assert.equal(model.length, 23);
    assert.equal(model.answerStart, -1);
    assert.equal(model.interventions.length, 1);
    assert.equal(model.text.text.endsWith('But hmm'), true);
    assert.throws(() => model.applyProgress(progress(40, [])), /starts at token 40 but only 23 tokens were received/);
  });

  test('an analysis that does not fit the tokens is refused', () => {
    const model = new TraceModel(knownTrace());
    const accepted = model.setAnalysis({
      steps: [{ index: 0, startToken: 0, endToken: 99, startChar: 0, endChar: 0, phase: 'thinking', cue: null, preview: '' }],
      candidates: [], cues: [],
      metrics: { thinkingTokens: 0, answerTokens: 0, finalAnswer: null, reference: 'none', correct: null, firstCorrectToken: null, tokensAfterFirstCorrect: null, outcomeEfficiency: null, processEfficiency: 0, reflectionCues: 0, loops: [], steps: 1 },
    });
    assert.equal(accepted, false);
    assert.equal(model.structureSource, 'local');
  });

  test('an event past the last token is placed after it', () => {
    const trace = knownTrace();
    trace.events.push({ kind: 'cancelled', at: KNOWN.length });
    const model = new TraceModel(trace);
    const cancelled = model.events[model.events.length - 1];
    assert.equal(cancelled.token, KNOWN.length - 1);
    assert.equal(cancelled.after, true);
  });
});
