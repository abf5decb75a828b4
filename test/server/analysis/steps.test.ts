import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceStep } from '../../../protocol/analysis';
import type { TraceDocument } from '../../../protocol/trace';
import { compileCues, findCues, segmentSteps } from '../../../server/analysis/steps';
import { answer, forcedEnd, injected, naturalEnd, think, traceOf, type Piece } from './traceFixtures';

const textOf = (trace: TraceDocument) => trace.tokens.map((t) => t.text).join('');
const stepText = (trace: TraceDocument, s: TraceStep) => textOf(trace).slice(s.startChar, s.endChar);

/** Steps tile each phase run in tokens and in characters, aligned to token starts. */
function assertTiling(trace: TraceDocument, steps: TraceStep[]): void {
  const starts: number[] = [];
  let offset = 0;
  for (const t of trace.tokens) {
    starts.push(offset);
    offset += t.text.length;
  }
  starts.push(offset);
  assert.equal(steps[0]?.startToken ?? 0, 0);
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    assert.equal(s.index, k);
    assert.ok(s.startToken < s.endToken, `step ${k} is empty`);
    assert.equal(s.startChar, starts[s.startToken]);
    assert.equal(s.endChar, starts[s.endToken]);
    for (let i = s.startToken; i < s.endToken; i++) assert.equal(trace.tokens[i]!.phase, s.phase);
    if (k + 1 < steps.length) assert.equal(steps[k + 1]!.startToken, s.endToken);
  }
  assert.equal(steps[steps.length - 1]?.endToken ?? 0, trace.tokens.length);
}

describe('segmentSteps', () => {
  test('splits thinking at paragraph breaks; the break stays with the step before', () => {
    const trace = traceOf([think('First we add.\n\nThen we check.\n\n\nFinally done.')]);
    const steps = segmentSteps(trace);
    assertTiling(trace, steps);
    assert.deepEqual(
      steps.map((s) => stepText(trace, s)),
      ['First we add.\n\n', 'Then we check.\n\n\n', 'Finally done.'],
    );
    assert.deepEqual(steps.map((s) => s.cue), [null, null, null]);
    assert.deepEqual(steps.map((s) => s.preview), ['First we add.', 'Then we check.', 'Finally done.']);
  });

  test('splits at reflection cues inside a line; the leading space belongs to the new step', () => {
    const trace = traceOf([think('So x = 2. Wait, that is wrong. Hmm, let me redo it. Actually, x = 3.')]);
    const steps = segmentSteps(trace);
    assertTiling(trace, steps);
    assert.deepEqual(
      steps.map((s) => [s.cue, stepText(trace, s)]),
      [
        [null, 'So x = 2.'],
        ['Wait', ' Wait, that is wrong.'],
        ['Hmm', ' Hmm, let me redo it.'],
        ['Actually', ' Actually, x = 3.'],
      ],
    );
  });

  test('a cue opening a paragraph gives one step with that cue', () => {
    const trace = traceOf([think('x = 4.\n\nBut wait, the sign.\n\nLet me double-check the sign.')]);
    const steps = segmentSteps(trace);
    assert.deepEqual(steps.map((s) => s.cue), [null, 'But wait', 'Let me double-check']);
  });

  test('cues only count at a sentence or line start, case-sensitively, as whole words', () => {
    const trace = traceOf([think('I will wait for it. Waiting is hard. The word Wait appears here. Hmmm, odd. Alternatively:\nHold on, fine.')]);
    const steps = segmentSteps(trace);
    assert.deepEqual(steps.map((s) => s.cue), [null, 'Hmm', 'Alternatively', 'Hold on']);
    assert.deepEqual(
      findCues(trace).map((c) => c.cue),
      ['Hmm', 'Alternatively', 'Hold on'],
    );
  });

  test('a cue after markdown emphasis at a line start still opens a step', () => {
    const trace = traceOf([think('Total is 9.\n**Wait**, I double counted.')]);
    const steps = segmentSteps(trace);
    assert.deepEqual(steps.map((s) => s.cue), [null, 'Wait']);
    assert.equal(stepText(trace, steps[1]!), '**Wait**, I double counted.');
  });

  test('an injected extension always opens a step, even glued to the text before it', () => {
    const trace = traceOf([think('so the answer is 5'), injected('Wait'), think(' maybe not.')]);
    const steps = segmentSteps(trace);
    assertTiling(trace, steps);
    assert.equal(steps.length, 2);
    assert.equal(steps[1]!.startToken, trace.events[0]!.at);
    assert.equal(steps[1]!.cue, 'Wait');
    const cues = findCues(trace);
    assert.deepEqual(cues, [{ cue: 'Wait', token: trace.events[0]!.at, startChar: 'so the answer is 5'.length }]);
  });

  test('an injected text that is not a cue still opens a step, named by its text', () => {
    const trace = traceOf([think('Done.'), { ...injected('Let me think more.'), whole: true }, think(' OK.')]);
    const steps = segmentSteps(trace);
    assert.equal(steps[1]!.cue, 'Let me think more.');
  });

  test('a boundary inside a token that started before it is dropped (the token stays where it starts)', () => {
    const pieces: Piece[] = [
      { text: 'It is 4.', phase: 'thinking', source: 'model', whole: true },
      { text: '\n\nWa', phase: 'thinking', source: 'model', whole: true },
      { text: 'it, no.', phase: 'thinking', source: 'model', whole: true },
    ];
    const trace = traceOf(pieces);
    const steps = segmentSteps(trace);
    assert.equal(steps.length, 1);
    // The cue is still found, in the token that holds its first character.
    assert.deepEqual(findCues(trace), [{ cue: 'Wait', token: 1, startChar: 10 }]);
  });

  test('a token that starts exactly at the cue opens the step', () => {
    const pieces: Piece[] = [
      { text: 'It is 4.\n\n', phase: 'thinking', source: 'model', whole: true },
      { text: 'Wait', phase: 'thinking', source: 'model', whole: true },
      { text: ', no.', phase: 'thinking', source: 'model', whole: true },
    ];
    const steps = segmentSteps(traceOf(pieces));
    assert.deepEqual(steps.map((s) => [s.startToken, s.endToken, s.cue]), [[0, 1, null], [1, 3, 'Wait']]);
  });

  test('the answer is segmented on its own, and a step of only the delimiter joins the next', () => {
    const trace = traceOf([think('Add them.\n\nIt is 5.\n'), naturalEnd(), answer('\n\nThe sum is 5.\n\nSo **5**.')]);
    const steps = segmentSteps(trace);
    assertTiling(trace, steps);
    assert.deepEqual(
      steps.map((s) => [s.phase, stepText(trace, s)]),
      [
        ['thinking', 'Add them.\n\n'],
        ['thinking', 'It is 5.\n'],
        ['answer', '</think>\n\nThe sum is 5.\n\n'],
        ['answer', 'So **5**.'],
      ],
    );
  });

  test('a forced end opens the answer phase', () => {
    const trace = traceOf([think('We need the count of'), forcedEnd(5), answer(' 12')]);
    const steps = segmentSteps(trace);
    assert.deepEqual(steps.map((s) => s.phase), ['thinking', 'answer']);
    assert.equal(stepText(trace, steps[1]!), '</think>\nFinal Answer: 12');
  });

  test('a thinking block reopened in the answer gets its own steps', () => {
    const trace = traceOf([think('A.'), naturalEnd(), answer(' B.'), think(' C.\n\nD.'), answer(' E.')]);
    const steps = segmentSteps(trace);
    assertTiling(trace, steps);
    assert.deepEqual(steps.map((s) => s.phase), ['thinking', 'answer', 'thinking', 'thinking', 'answer']);
  });

  test('trailing blank lines never make a step of their own', () => {
    const trace = traceOf([think('\n\nStart here.\n\n\n\n')]);
    const steps = segmentSteps(trace);
    assert.equal(steps.length, 1);
    assert.equal(stepText(trace, steps[0]!), '\n\nStart here.\n\n\n\n');
  });

  test('the cue list is configurable', () => {
    const trace = traceOf([think('First. Okay, next. Wait, again.')]);
    assert.deepEqual(segmentSteps(trace, { cues: ['Okay'] }).map((s) => s.cue), [null, 'Okay']);
    assert.deepEqual(segmentSteps(trace, { cues: [] }).map((s) => s.cue), [null]);
  });

  test('an empty trace has no steps and no cues', () => {
    const trace = traceOf([]);
    assert.deepEqual(segmentSteps(trace), []);
    assert.deepEqual(findCues(trace), []);
  });

  test('previews are one line, at most 80 characters', () => {
    const long = `${'word '.repeat(40)}end.`;
    const [step] = segmentSteps(traceOf([think(`  ${long}\n\n`)]));
    assert.equal(step!.preview.length, 80);
    assert.ok(step!.preview.endsWith('…'));
    assert.ok(!step!.preview.includes('\n'));
  });
});

describe('compileCues', () => {
  test('matches the longest cue at a place and reports which one', () => {
    const m = compileCues(['Wait', 'But wait']);
    const text = 'Yes. But wait, no.';
    m.regex.lastIndex = 0;
    const found = m.regex.exec(text);
    assert.ok(found);
    assert.equal(found.slice(1).find((g) => g !== undefined), 'But wait');
  });

  test('escapes cues that contain regular-expression characters', () => {
    const m = compileCues(['Hmm?', 'A.B']);
    assert.ok(m.leading.test('Hmm? so'));
    assert.ok(!m.leading.test('AxB so'));
  });
});
