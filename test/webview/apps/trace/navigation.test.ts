import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceModel } from '../../../../webview/apps/trace/model';
import { navigate, type MoveCommand } from '../../../../webview/apps/trace/navigation';
import { KNOWN, knownTrace } from '../../fixtures';

/** Follows `command` from `from` until it stops; returns every position visited. */
function walk(model: TraceModel, from: number, command: MoveCommand): number[] {
  const visited: number[] = [];
  let at = from;
  for (let guard = 0; guard < 100; guard++) {
    const next = navigate(model, at, command);
    if (next === null) return visited;
    visited.push(next);
    at = next;
  }
  throw new Error(`${command} did not stop`);
}

describe('navigate on the known trace', () => {
  const model = new TraceModel(knownTrace());

  test('steps forward visit every step start, backward return to them', () => {
    assert.deepEqual(walk(model, 0, 'nextStep'), KNOWN.stepStarts.slice(1));
    assert.deepEqual(walk(model, KNOWN.length - 1, 'prevStep'), [...KNOWN.stepStarts].reverse());
  });

  test('previous step from inside a step goes to that step start first', () => {
    assert.equal(navigate(model, 10, 'prevStep'), 8);
    assert.equal(navigate(model, 8, 'prevStep'), 0);
    assert.equal(navigate(model, 0, 'prevStep'), null);
  });

  test('interventions and cues, both ways', () => {
    assert.deepEqual(walk(model, 0, 'nextIntervention'), [...KNOWN.interventions]);
    assert.deepEqual(walk(model, KNOWN.length - 1, 'prevIntervention'), [...KNOWN.interventions].reverse());
    assert.deepEqual(walk(model, 0, 'nextCue'), [...KNOWN.cues]);
    assert.deepEqual(walk(model, 25, 'prevCue'), [...KNOWN.cues].reverse());
    assert.equal(navigate(model, 17, 'nextIntervention'), 25, 'from an intervention, the next one');
  });

  test('tokens, answer and start', () => {
    assert.equal(navigate(model, 0, 'nextToken'), 1);
    assert.equal(navigate(model, 0, 'prevToken'), null);
    assert.equal(navigate(model, KNOWN.length - 1, 'nextToken'), null);
    assert.equal(navigate(model, 3, 'jumpToAnswer'), KNOWN.answerStart);
    assert.equal(navigate(model, KNOWN.answerStart, 'jumpToAnswer'), null);
    assert.equal(navigate(model, 12, 'jumpToStart'), 0);
    assert.equal(navigate(model, 500, 'prevToken'), KNOWN.length - 2, 'a position past the end is clamped first');
  });

  test('the host analysis decides the steps when there is one', () => {
    const withAnalysis = new TraceModel(knownTrace(), {
      steps: [
        { index: 0, startToken: 0, endToken: 14, startChar: 0, endChar: 10, phase: 'thinking', cue: null, preview: '' },
        { index: 1, startToken: 14, endToken: 31, startChar: 10, endChar: 20, phase: 'thinking', cue: null, preview: '' },
      ],
      candidates: [],
      cues: [{ cue: 'Wait', token: 17, startChar: 0 }],
      metrics: {
        thinkingTokens: 25, answerTokens: 6, finalAnswer: '4', reference: 'ground-truth', correct: true, firstCorrectToken: 6,
        tokensAfterFirstCorrect: 19, outcomeEfficiency: 0.28, processEfficiency: 0.5, reflectionCues: 1, loops: [], steps: 2,
      },
    });
    assert.deepEqual(walk(withAnalysis, 0, 'nextStep'), [14]);
    assert.deepEqual(walk(withAnalysis, 0, 'nextCue'), [17]);
    assert.equal(withAnalysis.structureSource, 'host');
  });

  test('an empty trace goes nowhere', () => {
    const empty = knownTrace();
    empty.tokens = [];
    empty.events = [];
    const model0 = new TraceModel(empty);
    for (const command of ['nextToken', 'nextStep', 'jumpToAnswer', 'jumpToStart'] as const) assert.equal(navigate(model0, 0, command), null);
  });
});
