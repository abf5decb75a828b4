import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chartData } from '../../../webview/apps/compare/chartSeries';
import { SweepModel } from '../../../webview/apps/compare/model';
import { sweepFixture } from './fixtures';

describe('chartData', () => {
  test('thinking tokens per Wait count over the budgets, with the budget line', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const data = chartData(model, 'Wait', 'thinking');
    assert.deepEqual(data.labels, ['16', '40', '80', '128', 'no max']);
    assert.deepEqual(data.series.map((s) => s.label), ['0× Wait', '1× Wait']);
    assert.deepEqual(data.series[0]!.points.map((p) => p.y), [16, 40, 80, 96, 96]);
    assert.deepEqual(data.series[1]!.points.map((p) => p.y), [16, 40, 80, 120, 120]);
    assert.deepEqual(data.budgetLine, [16, 40, 80, 128, null]);
    const point = data.series[1]!.points[3]!;
    assert.equal(point.traceId, model.cellAt(128, 1, 'Wait')!.cell.traceId);
    assert.equal(point.cellId, model.cellAt(128, 1, 'Wait')!.id);
  });

  test('answer length and correctness', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const answer = chartData(model, 'Wait', 'answer');
    assert.equal(answer.budgetLine, null);
    assert.deepEqual(answer.series[0]!.points.map((p) => p.y), model.budgets.map((b) => model.cellAt(b, 0, 'Wait')!.cell.answerTokens));
    const correct = chartData(model, 'Wait', 'correct');
    assert.deepEqual(correct.series[0]!.points.map((p) => p.y), [0, 0, 1, 1, 1]);
    assert.deepEqual(correct.series[1]!.points.map((p) => p.y), [0, 0, 1, 0, 0]);
  });

  test('a cell without a result is a gap that opens nothing', () => {
    const sweep = sweepFixture();
    sweep.cells[2] = { ...sweep.cells[2]!, status: 'pending', traceId: null, thinkingTokens: null };
    const data = chartData(SweepModel.fromDocument(sweep), 'Wait', 'thinking');
    assert.equal(data.series[0]!.points[2]!.y, null);
    assert.equal(data.series[0]!.points[2]!.traceId, null);
  });
});
