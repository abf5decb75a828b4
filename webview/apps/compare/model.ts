/**
 * The sweep as the compare view knows it: its axes (budgets, Wait counts, extension strings), one
 * cell per combination, and the traces received so far. Built from a whole sweep document or from
 * the outline of a live sweep, then filled in as cells finish. Pure: no DOM.
 */
import { cellKeyString, planCellKeys, type SweepOutline } from '../../../protocol/compareView';
import type { SweepCell, SweepCellKey, SweepDocument, SweepProgress, SweepTiming } from '../../../protocol/sweep';
import type { TraceDocument } from '../../../protocol/trace';

/** A cell with where it sits in the sweep's list (the index the host knows it by). */
export interface ModelCell {
  index: number;
  /** `cellKeyString(cell.key)`. */
  id: string;
  cell: SweepCell;
}

/** How the sweep as a whole stands. */
export type SweepStatus = SweepDocument['status'];

/** Budgets ascending, "no maximum" (null) last. */
export function sortBudgets(budgets: readonly (number | null)[]): Array<number | null> {
  return [...new Set(budgets)].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
}

/** Wait counts ascending, "only below the minimum" (null) first. */
export function sortWaitCounts(counts: readonly (number | null)[]): Array<number | null> {
  return [...new Set(counts)].sort((a, b) => (a === null ? -1 : b === null ? 1 : a - b));
}

function pendingCell(key: SweepCellKey): SweepCell {
  return { key, status: 'pending', traceId: null, thinkingTokens: null, answerTokens: null, finalAnswer: null, correct: null };
}

export class SweepModel {
  /** The sweep's id; null while a live sweep has not finished (its id is not known yet). */
  readonly id: string | null;
  readonly question: string;
  readonly groundTruth: string | null;
  readonly mode: SweepOutline['mode'];
  /** Ascending, no maximum last. */
  readonly budgets: Array<number | null>;
  /** Ascending, "only below the minimum" first. */
  readonly waitCounts: Array<number | null>;
  /** In the sweep's order. */
  readonly extendWith: string[];
  status: SweepStatus;
  /** Why the sweep failed, when it did. */
  failure: string | null = null;
  /** Where the finished sweep was saved, when it was. */
  savedTo: string | null = null;
  /** How long the sweep took and what it evaluated, once it has ended. */
  timing: SweepTiming | null = null;
  private readonly cells = new Map<string, ModelCell>();
  private readonly traces = new Map<string, TraceDocument>();

  private constructor(id: string | null, outline: SweepOutline, status: SweepStatus, cells: readonly SweepCell[]) {
    this.id = id;
    this.question = outline.question;
    this.groundTruth = outline.groundTruth;
    this.mode = outline.mode;
    this.budgets = sortBudgets(outline.budgets);
    this.waitCounts = sortWaitCounts(outline.waitCounts);
    this.extendWith = [...new Set(outline.extendWith)];
    this.status = status;
    cells.forEach((cell, index) => {
      const id = cellKeyString(cell.key);
      this.cells.set(id, { index, id, cell });
      this.addAxes(cell.key);
    });
  }

  /** A live sweep that has just started: every cell pending, numbered as the sweep numbers them. */
  static fromOutline(outline: SweepOutline): SweepModel {
    return new SweepModel(null, outline, 'running', planCellKeys(outline).map(pendingCell));
  }

  /** A sweep document (finished, cancelled, or as far as it got). */
  static fromDocument(sweep: SweepDocument): SweepModel {
    const model = new SweepModel(sweep.id, sweep.settings, sweep.status, sweep.cells);
    for (const trace of sweep.traces) model.traces.set(trace.id, trace);
    model.timing = sweep.timing ?? null;
    return model;
  }

  /** Takes a finished cell and its trace; returns the cell's id. */
  applyProgress(progress: SweepProgress): string {
    const id = cellKeyString(progress.cell.key);
    this.cells.set(id, { index: progress.cellIndex, id, cell: progress.cell });
    this.addAxes(progress.cell.key);
    if (progress.trace) this.traces.set(progress.trace.id, progress.trace);
    return id;
  }

  /** A cell key outside the lists (a sweep file edited by hand) still gets a row or a column. */
  private addAxes(key: SweepCellKey): void {
    if (!this.budgets.includes(key.maxThinkingTokens)) {
      this.budgets.push(key.maxThinkingTokens);
      this.budgets.splice(0, this.budgets.length, ...sortBudgets(this.budgets));
    }
    if (!this.waitCounts.includes(key.ignoreEnd)) {
      this.waitCounts.push(key.ignoreEnd);
      this.waitCounts.splice(0, this.waitCounts.length, ...sortWaitCounts(this.waitCounts));
    }
    if (!this.extendWith.includes(key.extendWith)) this.extendWith.push(key.extendWith);
  }

  /** The cell with this id (see cellKeyString). */
  cell(id: string): ModelCell | undefined {
    return this.cells.get(id);
  }

  /** The cell at a budget, Wait count and extension string. */
  cellAt(maxThinkingTokens: number | null, ignoreEnd: number | null, extendWith: string): ModelCell | undefined {
    return this.cells.get(cellKeyString({ maxThinkingTokens, ignoreEnd, extendWith }));
  }

  /** Every cell, in the sweep's order. */
  allCells(): ModelCell[] {
    return [...this.cells.values()].sort((a, b) => a.index - b.index);
  }

  /** The trace with this id, once received. */
  trace(id: string | null): TraceDocument | undefined {
    return id === null ? undefined : this.traces.get(id);
  }

  /** The trace of a cell, once it is done. */
  traceOf(cell: ModelCell | undefined): TraceDocument | undefined {
    return cell ? this.trace(cell.cell.traceId) : undefined;
  }

  /** The cell at the next smaller (`-1`) or larger (`+1`) budget, same Wait count and string. */
  budgetNeighbour(cell: ModelCell, direction: -1 | 1): ModelCell | undefined {
    const at = this.budgets.indexOf(cell.cell.key.maxThinkingTokens);
    const budget = this.budgets[at + direction];
    return budget === undefined ? undefined : this.cellAt(budget, cell.cell.key.ignoreEnd, cell.cell.key.extendWith);
  }

  /** The cell at the next smaller (`-1`) or larger (`+1`) Wait count, same budget and string. */
  waitNeighbour(cell: ModelCell, direction: -1 | 1): ModelCell | undefined {
    const at = this.waitCounts.indexOf(cell.cell.key.ignoreEnd);
    const count = this.waitCounts[at + direction];
    return count === undefined ? undefined : this.cellAt(cell.cell.key.maxThinkingTokens, count, cell.cell.key.extendWith);
  }

  /** Cells that have finished (done or cancelled with a trace). */
  finished(): number {
    let n = 0;
    for (const c of this.cells.values()) if (c.cell.status !== 'pending') n++;
    return n;
  }

  /** Cells that completed (status done). */
  done(): number {
    let n = 0;
    for (const c of this.cells.values()) if (c.cell.status === 'done') n++;
    return n;
  }

  /** How many cells the sweep has. */
  total(): number {
    return this.cells.size;
  }

  /** Whether a ground truth judges the answers. */
  judged(): boolean {
    return this.groundTruth !== null && this.groundTruth !== '';
  }
}

/** Whether a cell has a result to show (a trace, and for a cancelled cell, what it got to). */
export function hasResult(cell: ModelCell | undefined): boolean {
  return cell !== undefined && cell.cell.traceId !== null && (cell.cell.status === 'done' || cell.cell.status === 'cancelled');
}
