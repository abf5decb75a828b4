import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateMetrics, analyzeTrace, answerFlips, injectionPoints, stepAt, summarize } from '../../../server/analysis/metrics';
import { answer, injected, naturalEnd, think, traceOf } from './traceFixtures';

/**
 * Trace A, ground truth 5. Tokens (word-like, see traceFixtures.splitWords):
 *   [0,13)  "2 + 3 = 5. So the answer is 5.\n\n"        13 tokens; "answer is 5": token 10
 *   [13,27) "Wait, let me check again. Two plus three is five.\n\n"   14 tokens; no candidate
 *   [27,43) "Hmm, what if it is 6? No, the answer is 5.\n"           16 tokens; "answer is 5": token 40
 *   [43]    "</think>"                                               natural end (answer phase)
 *   [44,56) "\n\nThe answer is $\boxed{5}$."                         12 tokens; box "5": token 52
 * Thinking tokens 43, answer tokens 13.
 */
const traceA = () =>
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

/**
 * Trace B, no ground truth (judged against its final answer):
 *   [0,10)  "We need the sum of 2 and 3.\n\n"      10 tokens; "3" ends no conclusion: no candidate
 *   [10,27) "Alternatively, count fingers on hands: raise two fingers, then three more fingers.\n\n"  17 tokens
 *   [27,42) "Count fingers on hands: raise two fingers, then three more fingers.\n\n"                15 tokens
 *   [42,49) "So the answer is 5.\n"               7 tokens; "answer is 5": token 46
 *   [49]    "</think>",  [50] " 5" (the whole answer)
 * Thinking tokens 49.
 */
const traceB = () =>
  traceOf([
    think('We need the sum of 2 and 3.\n\n'),
    think('Alternatively, count fingers on hands: raise two fingers, then three more fingers.\n\n'),
    think('Count fingers on hands: raise two fingers, then three more fingers.\n\n'),
    think('So the answer is 5.\n'),
    naturalEnd(),
    answer(' 5'),
  ]);

/** Trace C, ground truth 5, wrong: "So the answer is 6.\n" (7 tokens), then "</think>", " \boxed{6}". */
const traceC = () => traceOf([think('So the answer is 6.\n'), naturalEnd(), answer(' \\boxed{6}')], { groundTruth: '5' });

describe('analyzeTrace: metrics on hand-counted traces', () => {
  test('trace A: correct early, then more thinking', () => {
    const a = analyzeTrace(traceA());
    assert.deepEqual(
      a.steps.map((s) => [s.startToken, s.endToken, s.phase, s.cue]),
      [
        [0, 13, 'thinking', null],
        [13, 27, 'thinking', 'Wait'],
        [27, 43, 'thinking', 'Hmm'],
        [43, 56, 'answer', null],
      ],
    );
    assert.deepEqual(
      a.candidates.map((c) => [c.kind, c.text, c.token, c.phase, c.correct]),
      [
        ['answer-is', '5', 10, 'thinking', true],
        ['answer-is', '5', 40, 'thinking', true],
        ['boxed', '5', 52, 'answer', true],
      ],
    );
    assert.deepEqual(a.metrics, {
      thinkingTokens: 43,
      answerTokens: 13,
      finalAnswer: '5',
      reference: 'ground-truth',
      correct: true,
      firstCorrectToken: 10,
      // The first correct answer's step ends at token 13: 43 − 13 = 30 thinking tokens after it.
      tokensAfterFirstCorrect: 30,
      outcomeEfficiency: 13 / 43,
      // Only step 1 is productive (its candidate "5" is new). Step 2 has no candidate and three
      // content words (plus, three, five: fewer than 5); step 3 repeats "5" and has one (answer).
      processEfficiency: 13 / 43,
      reflectionCues: 2,
      loops: [],
      steps: 3,
    });
  });

  test('trace B: an approach cue, a repeated step, judged against the final answer', () => {
    const a = analyzeTrace(traceB());
    assert.deepEqual(a.steps.map((s) => [s.startToken, s.endToken, s.cue]), [
      [0, 10, null],
      [10, 27, 'Alternatively'],
      [27, 42, null],
      [42, 49, null],
      [49, 51, null],
    ]);
    const m = a.metrics;
    assert.equal(m.reference, 'final-answer');
    assert.equal(m.finalAnswer, '5');
    assert.equal(m.correct, null);
    assert.equal(m.thinkingTokens, 49);
    assert.equal(m.firstCorrectToken, 46);
    assert.equal(m.tokensAfterFirstCorrect, 0);
    assert.equal(m.outcomeEfficiency, 1);
    // Productive: step 2 (opens with "Alternatively", 17 tokens) and step 4 (new candidate "5",
    // 7 tokens). Step 1 has one content word (sum); step 3 only repeats step 2's words.
    assert.equal(m.processEfficiency, 24 / 49);
    assert.equal(m.reflectionCues, 1);
    // Steps 2 and 3 share 9 of 10 word trigrams: Jaccard 0.9 ≥ 0.8.
    assert.deepEqual(m.loops, [[1, 2]]);
    assert.equal(m.steps, 4);
  });

  test('trace C: wrong answer, never correct', () => {
    const m = analyzeTrace(traceC()).metrics;
    assert.equal(m.correct, false);
    assert.equal(m.finalAnswer, '6');
    assert.equal(m.firstCorrectToken, null);
    assert.equal(m.tokensAfterFirstCorrect, null);
    assert.equal(m.outcomeEfficiency, null);
  });

  test('a ground truth given as a worked solution is judged by its last box', () => {
    const m = analyzeTrace(traceC(), { reference: 'We compute 2 + 4 = 6, so the result is $\\boxed{6}$.' }).metrics;
    assert.equal(m.correct, true);
  });

  test('reference null judges nothing', () => {
    const a = analyzeTrace(traceA(), { reference: null });
    assert.equal(a.metrics.reference, 'none');
    assert.equal(a.metrics.correct, null);
    assert.equal(a.metrics.firstCorrectToken, null);
    assert.ok(a.candidates.every((c) => c.correct === null));
  });

  test('a trace without tokens', () => {
    const m = analyzeTrace(traceOf([])).metrics;
    assert.deepEqual(
      [m.thinkingTokens, m.answerTokens, m.finalAnswer, m.reference, m.processEfficiency, m.steps],
      [0, 0, null, 'none', 0, 0],
    );
  });

  test('a thinking step that concludes with a number proposes it; one that merely mentions it does not', () => {
    const a = analyzeTrace(traceOf([think('Consider case 2.\n\nAdding up, the total is 12.\n'), naturalEnd(), answer(' 12')], { groundTruth: '12' }));
    assert.deepEqual(a.candidates.map((c) => [c.kind, c.text, c.phase]), [
      ['last-number', '12', 'thinking'],
      ['final-answer', '12', 'answer'],
    ]);
  });

  test('settings change the loop threshold', () => {
    assert.deepEqual(analyzeTrace(traceB(), { loopSimilarity: 0.95 }).metrics.loops, []);
    assert.deepEqual(analyzeTrace(traceB(), { loopMinWords: 50 }).metrics.loops, []);
  });
});

describe('answerFlips', () => {
  /**
   * [0,6) "So the answer is 5." (candidate at 4), [6] injected "Wait" (event 0),
   * [7,14) ", the answer is 6.\n" (candidate at 11), then the answer \boxed{6}.
   */
  const flipTrace = (after: string) =>
    traceOf([think('So the answer is 5.'), injected('Wait'), think(after), naturalEnd(), answer(' \\boxed{6}')], { groundTruth: '5' });

  test('the answer changes right after an injected Wait', () => {
    const trace = flipTrace(', the answer is 6.\n');
    const flips = answerFlips(trace, analyzeTrace(trace));
    assert.equal(flips.length, 1);
    const f = flips[0]!;
    assert.deepEqual(
      [f.eventIndex, f.injectedStart, f.injectedEnd, f.injectedText, f.before.text, f.before.token, f.after.text, f.after.token, f.effect],
      [0, 6, 7, 'Wait', '5', 4, '6', 11, 'lost'],
    );
  });

  test('no flip when the answer after the Wait is the same', () => {
    const trace = flipTrace(', yes, the answer is 5.\n');
    assert.deepEqual(answerFlips(trace, analyzeTrace(trace)), []);
  });

  test('a flip towards the reference is "gained"', () => {
    const trace = traceOf([think('So the answer is 6.'), injected('Wait'), think(' no, the answer is 5.\n'), naturalEnd(), answer(' 5')], { groundTruth: '5' });
    assert.deepEqual(answerFlips(trace, analyzeTrace(trace)).map((f) => f.effect), ['gained']);
  });

  test('injected tokens without an event are injection points too', () => {
    const trace = flipTrace(', the answer is 6.\n');
    trace.events = [];
    assert.deepEqual(injectionPoints(trace).map((p) => [p.eventIndex, p.start, p.end, p.text]), [[null, 6, 7, 'Wait']]);
    assert.equal(answerFlips(trace, analyzeTrace(trace)).length, 1);
  });
});

describe('aggregateMetrics', () => {
  test('accuracy, reach and summaries over traces A, B and C', () => {
    const list = [traceA(), traceB(), traceC()].map((t) => analyzeTrace(t).metrics);
    const agg = aggregateMetrics(list);
    assert.equal(agg.traces, 3);
    assert.equal(agg.judged, 2); // A (correct) and C (wrong) have a ground truth
    assert.equal(agg.accuracy, 0.5);
    assert.equal(agg.reachedCorrectInThinking, 2 / 3); // A and B reach a correct candidate in thinking
    assert.deepEqual(agg.thinkingTokens, { n: 3, mean: (43 + 49 + 7) / 3, median: 43 });
    assert.deepEqual(agg.outcomeEfficiency, { n: 2, mean: (13 / 43 + 1) / 2, median: (13 / 43 + 1) / 2 });
    assert.deepEqual(agg.loops, { n: 3, mean: 1 / 3, median: 0 });
  });

  test('an empty set', () => {
    const agg = aggregateMetrics([]);
    assert.equal(agg.accuracy, null);
    assert.deepEqual(agg.steps, { n: 0, mean: null, median: null });
  });

  test('summarize ignores nulls and non-finite values', () => {
    assert.deepEqual(summarize([3, null, 1, NaN, 2]), { n: 3, mean: 2, median: 2 });
  });
});

describe('stepAt', () => {
  test('finds the step holding a token, or nothing past the end', () => {
    const steps = analyzeTrace(traceA()).steps;
    assert.equal(stepAt(steps, 0)!.index, 0);
    assert.equal(stepAt(steps, 13)!.index, 1);
    assert.equal(stepAt(steps, 55)!.index, 3);
    assert.equal(stepAt(steps, 56), undefined);
  });
});
