import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrace } from '../../../server/analysis/metrics';
import { branchPoint, defaultPair, findChangeOfMind, findFlips, flipOf, orderBySize } from '../../../webview/apps/compare/flips';
import { SweepModel } from '../../../webview/apps/compare/model';
import { sweepFixture } from './fixtures';

const describeFlip = (f: ReturnType<typeof findFlips>[number]) =>
  `${f.axis} ${f.from.cell.key.maxThinkingTokens}/${f.from.cell.key.ignoreEnd} → ${f.to.cell.key.maxThinkingTokens}/${f.to.cell.key.ignoreEnd}: ${f.before} → ${f.after}`;

describe('answer flips', () => {
  test('are found between neighbouring budgets and neighbouring Wait counts', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    assert.deepEqual(findFlips(model, 'Wait').map(describeFlip), [
      'budget 16/0 → 40/0: 340 → 398',
      'budget 40/0 → 80/0: 398 → 408',
      'wait 128/0 → 128/1: 408 → 425',
      'wait null/0 → null/1: 408 → 425',
      'budget 16/1 → 40/1: 340 → 398',
      'budget 40/1 → 80/1: 398 → 408',
      'budget 80/1 → 128/1: 408 → 425',
    ]);
    // With "Hmm" the extra thinking keeps 408: only the budget flips remain.
    assert.deepEqual(findFlips(model, 'Hmm').map(describeFlip), [
      'budget 16/0 → 40/0: 340 → 398',
      'budget 40/0 → 80/0: 398 → 408',
      'budget 16/1 → 40/1: 340 → 398',
      'budget 40/1 → 80/1: 398 → 408',
    ]);
  });

  test('a cell without an extracted answer, or still running, flips with nothing', () => {
    const sweep = sweepFixture();
    const at = (max: number | null, wait: number) => sweep.cells.find((c) => c.key.maxThinkingTokens === max && c.key.ignoreEnd === wait && c.key.extendWith === 'Wait')!;
    at(16, 0).finalAnswer = null;
    const running = at(80, 0);
    Object.assign(running, { status: 'pending', traceId: null, finalAnswer: null });
    const flips = findFlips(SweepModel.fromDocument(sweep), 'Wait').map(describeFlip);
    assert.ok(!flips.some((f) => f.startsWith('budget 16/0')));
    assert.ok(!flips.some((f) => f.includes('→ 80/0') || f.includes('80/0 →')));
  });

  test('flipOf finds a flip in either order', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const flips = findFlips(model, 'Wait');
    const a = model.cellAt(40, 0, 'Wait')!;
    const b = model.cellAt(80, 0, 'Wait')!;
    assert.equal(flipOf(flips, a, b)?.after, '408');
    assert.equal(flipOf(flips, b, a)?.after, '408');
    assert.equal(flipOf(flips, a, model.cellAt(128, 0, 'Wait')!), undefined);
  });
});

describe('the change of mind', () => {
  test('is the first step after the shorter trace was cut that proposes the new answer', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const shorter = model.traceOf(model.cellAt(40, 0, 'Wait'))!;
    const longer = model.traceOf(model.cellAt(80, 0, 'Wait'))!;
    assert.equal(branchPoint(shorter, longer), 40);
    const analysis = analyzeTrace(longer);
    const change = findChangeOfMind(shorter, longer, analysis, '408');
    assert.ok(change);
    assert.equal(change.branchToken, 40);
    assert.equal(change.candidate.normalized, '408');
    assert.ok(change.candidate.token >= 40);
    assert.equal(change.step?.cue, 'Wait');
    assert.match(change.step!.preview, /^Wait, let me re-check/);
  });

  test('after a suppressed end, it is the step the extension string opened', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const shorter = model.traceOf(model.cellAt(128, 0, 'Wait'))!;
    const longer = model.traceOf(model.cellAt(128, 1, 'Wait'))!;
    // The shorter trace ended thinking by itself at token 96; the longer one went on with "Wait".
    assert.equal(branchPoint(shorter, longer), shorter.thinkingTokens);
    const change = findChangeOfMind(shorter, longer, analyzeTrace(longer), '425');
    assert.equal(change?.candidate.normalized, '425');
    assert.equal(change?.step?.phase, 'thinking');
    assert.equal(longer.tokens[change!.step!.startToken]!.source, 'injected');
  });

  test('is null when no candidate after the branch point is the new answer', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const shorter = model.traceOf(model.cellAt(40, 0, 'Wait'))!;
    const longer = model.traceOf(model.cellAt(80, 0, 'Wait'))!;
    const analysis = analyzeTrace(longer);
    const moved = { ...analysis, metrics: { ...analysis.metrics, finalAnswer: '12345' } };
    assert.equal(findChangeOfMind(shorter, longer, moved, '12345'), null);
  });

  test('the branch point is where the traces first differ when that comes earlier', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const shorter = structuredClone(model.traceOf(model.cellAt(40, 0, 'Wait'))!);
    const longer = model.traceOf(model.cellAt(80, 0, 'Wait'))!;
    shorter.tokens[10] = { ...shorter.tokens[10]!, id: 999_999, text: ' different' };
    assert.equal(branchPoint(shorter, longer), 10);
  });
});

describe('the default pair', () => {
  test('is the first flip along the budgets', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const pair = defaultPair(model, 'Wait', findFlips(model, 'Wait'));
    assert.deepEqual(pair?.map((c) => c.cell.key.maxThinkingTokens), [16, 40]);
  });

  test('without flips, the first neighbouring budgets that both have a result', () => {
    const sweep = sweepFixture();
    for (const c of sweep.cells) c.finalAnswer = '408';
    sweep.cells[0] = { ...sweep.cells[0]!, status: 'pending', traceId: null };
    const model = SweepModel.fromDocument(sweep);
    const pair = defaultPair(model, 'Wait', findFlips(model, 'Wait'));
    assert.deepEqual(pair?.map((c) => c.cell.key.maxThinkingTokens), [40, 80]);
  });

  test('orders a pair shorter first', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const big = model.cellAt(null, 1, 'Wait')!;
    const small = model.cellAt(16, 0, 'Wait')!;
    assert.deepEqual(orderBySize(big, small).map((c) => c.id), [small.id, big.id]);
    assert.deepEqual(orderBySize(small, big).map((c) => c.id), [small.id, big.id]);
  });
});
