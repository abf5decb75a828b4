import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceDocument } from '../../../protocol/trace';
import { detectFindings, quote } from '../../../server/analysis/findings';
import { analyzeTraceDetailed } from '../../../server/analysis/metrics';
import type { AnalysisSettings } from '../../../protocol/analysisExtra';
import { answer, forcedEnd, injected, naturalEnd, think, traceOf } from './traceFixtures';

function findingsOf(trace: TraceDocument, settings: Partial<AnalysisSettings> = {}) {
  const d = analyzeTraceDetailed(trace, settings);
  return detectFindings(trace, d.analysis, d.generated, settings);
}

/** 13 thinking tokens with "answer is 5" at token 10, then 30 more thinking tokens (see metrics.test.ts, trace A). */
const early = () =>
  traceOf(
    [
      think('2 + 3 = 5. So the answer is 5.\n\n'),
      think('Wait, let me check again. Two plus three is five.\n\n'),
      think('Hmm, what if it is 6? No, the answer is 5.\n'),
      naturalEnd(),
      answer('\n\nThe answer is $\\boxed{5}$.'),
    ],
    { groundTruth: '5' },
  );

describe('detectFindings', () => {
  test('long thinking after the first correct answer, above both thresholds', () => {
    // 30 of 43 thinking tokens after the correct step: 70% ≥ 25%, but 30 < 100 tokens by default.
    assert.deepEqual(findingsOf(early()), []);
    const [f, ...rest] = findingsOf(early(), { overthinkingMinTokens: 30 });
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'thinking-after-correct');
    assert.equal(f!.severity, 'warning');
    assert.equal(f!.startToken, 10);
    assert.equal(f!.endToken, 11);
    assert.equal(
      f!.message,
      'A correct answer (“5”, matching the ground truth) appears at token 10 in step 1; thinking goes on for 30 more tokens (70% of 43 thinking tokens).',
    );
    assert.deepEqual(findingsOf(early(), { overthinkingMinTokens: 30, overthinkingShare: 0.75 }), []);
  });

  test('a loop of repeated steps, pointing at the first repeat and relating the others', () => {
    const para = 'Count fingers on both hands: raise two fingers, then three more fingers.\n\n';
    const trace = traceOf([think('Start.\n\n'), think(para), think('Something else entirely here.\n\n'), think(para), think(para)]);
    const findings = findingsOf(trace);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.code, 'repeated-steps');
    assert.match(f.message, /^Steps 2, 4 and 5 repeat each other \(word-trigram similarity ≥ 0\.8\): the model goes over the same ground 3 times/);
    const steps = analyzeTraceDetailed(trace).analysis.steps;
    assert.equal(f.startToken, steps[3]!.startToken);
    assert.deepEqual(f.related.map((r) => r.startToken), [steps[1]!.startToken, steps[4]!.startToken]);
  });

  test('an answer flip after an injected Wait; a warning when it loses the correct answer', () => {
    const trace = traceOf([think('So the answer is 5.'), injected('Wait'), think(', the answer is 6.\n'), naturalEnd(), answer(' 6')], { groundTruth: '5' });
    const flips = findingsOf(trace).filter((f) => f.code === 'answer-flip-after-wait');
    assert.equal(flips.length, 1);
    assert.equal(flips[0]!.severity, 'warning');
    assert.equal(flips[0]!.message, 'After the injected “Wait” at token 6, the answer changes from “5” to “6”. It was correct before and is not after.');
    assert.equal(flips[0]!.startToken, 11);
    assert.deepEqual(flips[0]!.related.map((r) => r.startToken), [6, 4]);
  });

  test('a flip without a reference is information', () => {
    const trace = traceOf([think('So the answer is 5.'), injected('Wait'), think(', the answer is 6.\n')], { groundTruth: null });
    const flips = findingsOf(trace).filter((f) => f.code === 'answer-flip-after-wait');
    assert.deepEqual(flips.map((f) => f.severity), ['information']);
  });

  test('a forced cut in the middle of a sentence', () => {
    // "First" "," " the" " sum" "." " We" " need" " the" " count" " of": 10 thinking tokens, cut at token 10.
    const trace = traceOf([think('First, the sum. We need the count of'), forcedEnd(10), answer(' 12')]);
    const [f] = findingsOf(trace);
    assert.equal(f!.code, 'forced-cut-mid-sentence');
    assert.equal(f!.severity, 'information');
    assert.equal(f!.message, 'Thinking was cut by the thinking budget in the middle of a sentence at token 10 (10 thinking tokens): “We need the count of”.');
    assert.deepEqual([f!.startToken, f!.endToken], [9, 10]);
    assert.deepEqual(f!.related, [{ startToken: 10, endToken: 11, message: 'Forced here: “</think> Final Answer:”' }]);
  });

  test('a forced cut at a sentence end or a line end is fine', () => {
    for (const text of ['The count is 4.', 'The count is 4.)', 'A list:\n- one\n', 'Done!**']) {
      const trace = traceOf([think(text), forcedEnd(5), answer(' 4')]);
      assert.deepEqual(findingsOf(trace).filter((f) => f.code === 'forced-cut-mid-sentence'), [], JSON.stringify(text));
    }
  });

  test('findings come in token order', () => {
    const trace = traceOf([think('So the answer is 5.'), injected('Wait'), think(', the answer is 6. And then the count of'), forcedEnd(9), answer(' 6')], { groundTruth: '5' });
    const findings = findingsOf(trace);
    assert.deepEqual(findings.map((f) => f.code), ['answer-flip-after-wait', 'forced-cut-mid-sentence']);
  });
});

describe('quote', () => {
  test('one line, shortened with an ellipsis', () => {
    assert.equal(quote('a\n  b'), '“a b”');
    assert.equal(quote('x'.repeat(50), 10), `“${'x'.repeat(9)}…”`);
  });
});
