import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cellKeyString, planCellKeys } from '../../../protocol/compareView';
import { SweepModel, hasResult, sortBudgets, sortWaitCounts } from '../../../webview/apps/compare/model';
import { BUDGETS, EXTENSIONS, QUESTION, WAIT_COUNTS, progressOf, sweepFixture } from './fixtures';

const outline = { question: QUESTION, groundTruth: '408', budgets: BUDGETS, waitCounts: WAIT_COUNTS, extendWith: EXTENSIONS, mode: 'shared' as const };

describe('SweepModel', () => {
  test('sorts budgets ascending with no maximum last, Wait counts with null first', () => {
    assert.deepEqual(sortBudgets([512, null, 64, 128, 64]), [64, 128, 512, null]);
    assert.deepEqual(sortWaitCounts([2, 0, null, 1]), [null, 0, 1, 2]);
  });

  test('a sweep document gives one cell per combination, each with its trace', () => {
    const sweep = sweepFixture();
    const model = SweepModel.fromDocument(sweep);
    assert.equal(model.id, sweep.id);
    assert.deepEqual(model.budgets, [16, 40, 80, 128, null]);
    assert.deepEqual(model.waitCounts, [0, 1]);
    assert.deepEqual(model.extendWith, ['Wait', 'Hmm']);
    assert.equal(model.total(), 20);
    assert.equal(model.finished(), 20);
    const cell = model.cellAt(80, 0, 'Wait');
    assert.ok(cell);
    assert.equal(cell.index, sweep.cells.findIndex((c) => c.key.maxThinkingTokens === 80 && c.key.ignoreEnd === 0 && c.key.extendWith === 'Wait'));
    assert.equal(model.traceOf(cell)?.id, cell.cell.traceId);
    assert.equal(cell.cell.finalAnswer, '408');
    assert.ok(model.judged());
  });

  test('neighbours along each axis stop at the edges', () => {
    const model = SweepModel.fromDocument(sweepFixture());
    const first = model.cellAt(16, 0, 'Wait')!;
    assert.equal(model.budgetNeighbour(first, -1), undefined);
    assert.equal(model.budgetNeighbour(first, 1)?.cell.key.maxThinkingTokens, 40);
    const last = model.cellAt(null, 1, 'Hmm')!;
    assert.equal(model.budgetNeighbour(last, 1), undefined);
    assert.equal(model.budgetNeighbour(last, -1)?.cell.key.maxThinkingTokens, 128);
    assert.equal(model.waitNeighbour(last, 1), undefined);
    assert.equal(model.waitNeighbour(last, -1)?.cell.key.ignoreEnd, 0);
    assert.equal(model.waitNeighbour(last, -1)?.cell.key.extendWith, 'Hmm');
  });

  test('a live sweep starts all pending, numbered as the sweep numbers its cells, and fills in', () => {
    const model = SweepModel.fromOutline(outline);
    assert.equal(model.id, null);
    assert.equal(model.status, 'running');
    assert.equal(model.total(), 20);
    assert.equal(model.finished(), 0);
    planCellKeys(outline).forEach((key, i) => {
      const cell = model.cell(cellKeyString(key));
      assert.equal(cell?.index, i);
      assert.equal(cell?.cell.status, 'pending');
      assert.equal(hasResult(cell), false);
    });
    const sweep = sweepFixture();
    const progress = progressOf(sweep, 'run-1');
    const id = model.applyProgress(progress[0]!);
    const cell = model.cell(id)!;
    assert.equal(cell.cell.status, 'done');
    assert.equal(cell.index, progress[0]!.cellIndex);
    assert.ok(hasResult(cell));
    assert.equal(model.traceOf(cell)?.id, progress[0]!.trace!.id);
    assert.equal(model.finished(), 1);
    for (const p of progress.slice(1)) model.applyProgress(p);
    assert.equal(model.finished(), 20);
  });

  test('a cell outside the listed axes still gets its row and column', () => {
    const model = SweepModel.fromOutline({ ...outline, budgets: [64], waitCounts: [0], extendWith: ['Wait'] });
    const sweep = sweepFixture();
    const stray = progressOf(sweep, 'r').find((p) => p.cell.key.maxThinkingTokens === null && p.cell.key.ignoreEnd === 1 && p.cell.key.extendWith === 'Hmm')!;
    model.applyProgress(stray);
    assert.deepEqual(model.budgets, [64, null]);
    assert.deepEqual(model.waitCounts, [0, 1]);
    assert.deepEqual(model.extendWith, ['Wait', 'Hmm']);
    assert.ok(model.cellAt(null, 1, 'Hmm'));
  });

  test('a cancelled cell with a trace has a result; a failed one has none', () => {
    const sweep = sweepFixture();
    sweep.cells[0]!.status = 'cancelled';
    sweep.cells[1] = { ...sweep.cells[1]!, status: 'failed', traceId: null, error: 'engine crashed' };
    const model = SweepModel.fromDocument(sweep);
    assert.equal(hasResult(model.allCells()[0]), true);
    assert.equal(hasResult(model.allCells()[1]), false);
    assert.equal(model.finished(), 20);
    assert.equal(model.done(), 18);
  });
});
