import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseFinalAnswer, collectCandidates } from '../../../server/analysis/candidates';
import { buildGeneratedText } from '../../../server/analysis/generatedText';
import { segmentSteps } from '../../../server/analysis/steps';
import type { TraceDocument } from '../../../protocol/trace';
import { answer, forcedEnd, injected, naturalEnd, think, traceOf } from './traceFixtures';

function candidatesOf(trace: TraceDocument) {
  return collectCandidates(trace, buildGeneratedText(trace.tokens), segmentSteps(trace));
}

describe('collectCandidates', () => {
  test('s1-style text glued to an injected Wait is read apart from it', () => {
    const trace = traceOf([think('so the answer is 5'), injected('Wait'), think(' no.')]);
    assert.deepEqual(candidatesOf(trace).map((c) => [c.text, c.token]), [['5', 4]]);
  });

  test('token indices and phases; character ranges over the generated text', () => {
    const trace = traceOf([think('The answer is 7.\n'), naturalEnd(), answer('\nFinal Answer: $\\boxed{7}$')]);
    const text = trace.tokens.map((t) => t.text).join('');
    const cands = candidatesOf(trace);
    assert.deepEqual(cands.map((c) => [c.kind, c.phase, text.slice(c.startChar, c.endChar)]), [
      ['answer-is', 'thinking', '7'],
      ['final-answer', 'answer', '7'],
    ]);
    // Each candidate's first character lies in its token.
    for (const c of cands) {
      const tokenStart = trace.tokens.slice(0, c.token).map((t) => t.text).join('').length;
      assert.ok(tokenStart <= c.startChar && c.startChar < tokenStart + trace.tokens[c.token]!.text.length);
    }
    assert.deepEqual(cands.map((c) => c.token), [3, 15]);
    assert.ok(cands.every((c) => c.correct === null));
  });

  test('after a forced "Final Answer:" the model’s short answer is the candidate', () => {
    const trace = traceOf([think('Counting the cases of'), forcedEnd(4), answer(' 12')]);
    assert.deepEqual(candidatesOf(trace).map((c) => [c.kind, c.text]), [['final-answer', '12']]);
  });
});

describe('chooseFinalAnswer', () => {
  test('the last of the strongest kind in the answer phase', () => {
    const trace = traceOf([think('So the answer is 1.\n'), naturalEnd(), answer('\nThe answer is 2, so \\boxed{3}. Then 4 more and the answer is 5.')]);
    assert.equal(chooseFinalAnswer(candidatesOf(trace))!.text, '3');
  });

  test('no answer phase: no final answer', () => {
    assert.equal(chooseFinalAnswer(candidatesOf(traceOf([think('So the answer is 1.')]))), null);
  });
});
