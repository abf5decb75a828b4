/**
 * Answer flips: the extracted final answer changes between neighbouring cells of a sweep (the next
 * budget, or one more Wait), and where in the longer trace the model changed its mind. Pure.
 */
import type { AnswerCandidate, TraceAnalysis, TraceStep } from '../../../protocol/analysis';
import type { TraceDocument } from '../../../protocol/trace';
import { hasResult, type ModelCell, type SweepModel } from './model';

/** Two neighbouring cells whose final answers differ; `from` is the shorter side. */
export interface AnswerFlip {
  /** Along which axis the cells are neighbours. */
  axis: 'budget' | 'wait';
  from: ModelCell;
  to: ModelCell;
  before: string;
  after: string;
}

function flipBetween(axis: AnswerFlip['axis'], from: ModelCell | undefined, to: ModelCell | undefined): AnswerFlip | null {
  if (!from || !to || !hasResult(from) || !hasResult(to)) return null;
  const before = from.cell.finalAnswer;
  const after = to.cell.finalAnswer;
  if (before === null || after === null || before === after) return null;
  return { axis, from, to, before, after };
}

/**
 * Every flip among the cells of one extension string: between each cell and the next larger
 * budget, and between each cell and the next larger Wait count. Cells without an extracted answer
 * flip with nothing (a missing answer is not a change of mind).
 */
export function findFlips(model: SweepModel, extendWith: string): AnswerFlip[] {
  const flips: AnswerFlip[] = [];
  for (const wait of model.waitCounts) {
    for (const budget of model.budgets) {
      const cell = model.cellAt(budget, wait, extendWith);
      if (!cell) continue;
      const byBudget = flipBetween('budget', cell, model.budgetNeighbour(cell, 1));
      if (byBudget) flips.push(byBudget);
      const byWait = flipBetween('wait', cell, model.waitNeighbour(cell, 1));
      if (byWait) flips.push(byWait);
    }
  }
  return flips;
}

/** The flip between two cells in either order, if they are neighbours whose answers differ. */
export function flipOf(flips: readonly AnswerFlip[], a: ModelCell, b: ModelCell): AnswerFlip | undefined {
  return flips.find((f) => (f.from.id === a.id && f.to.id === b.id) || (f.from.id === b.id && f.to.id === a.id));
}

/** Where the longer trace leaves the shorter one: the shorter's end of thinking, or where they differ first. */
export function branchPoint(shorter: TraceDocument, longer: TraceDocument): number {
  const firstAnswer = shorter.tokens.findIndex((t) => t.phase === 'answer');
  const end = firstAnswer < 0 ? shorter.tokens.length : firstAnswer;
  const n = Math.min(end, longer.tokens.length);
  for (let i = 0; i < n; i++) {
    const a = shorter.tokens[i]!;
    const b = longer.tokens[i]!;
    if (a.id !== b.id || a.text !== b.text) return i;
  }
  return n;
}

/** Where the model changed its mind, in the longer trace of a flip. */
export interface ChangeOfMind {
  /** Token index in the longer trace where it leaves the shorter one. */
  branchToken: number;
  /** The first candidate after the branch point that is the new final answer. */
  candidate: AnswerCandidate;
  /** The step holding that candidate; null when the analysis has no step there. */
  step: TraceStep | null;
}

/**
 * The first step of the longer trace, after the point where the shorter trace was cut, whose
 * candidate answer equals the longer trace's final answer (as the analysis normalizes it).
 * @param newAnswer the longer cell's final answer, used when the analysis found none.
 * @returns null when no candidate after the branch point is the new answer.
 */
export function findChangeOfMind(
  shorter: TraceDocument,
  longer: TraceDocument,
  analysis: TraceAnalysis,
  newAnswer: string | null,
): ChangeOfMind | null {
  const target = analysis.metrics.finalAnswer ?? newAnswer;
  if (target === null) return null;
  const branchToken = branchPoint(shorter, longer);
  let candidate: AnswerCandidate | undefined;
  for (const c of analysis.candidates) {
    if (c.token < branchToken || c.normalized !== target) continue;
    if (!candidate || c.token < candidate.token) candidate = c;
  }
  if (!candidate) return null;
  const token = candidate.token;
  const step = analysis.steps.find((s) => s.startToken <= token && token < s.endToken) ?? null;
  return { branchToken, candidate, step };
}

/** The shorter and the longer side of a pair: fewer thinking tokens first, then the smaller budget. */
export function orderBySize(a: ModelCell, b: ModelCell): [ModelCell, ModelCell] {
  const size = (c: ModelCell): number => c.cell.thinkingTokens ?? c.cell.key.maxThinkingTokens ?? Number.MAX_SAFE_INTEGER;
  return size(b) < size(a) ? [b, a] : [a, b];
}

/**
 * The pair shown when the user has chosen none: the first flip along the budgets, else the first
 * two neighbouring budgets that both have a result, else the first cells there are.
 */
export function defaultPair(model: SweepModel, extendWith: string, flips: readonly AnswerFlip[]): [ModelCell, ModelCell] | null {
  const flip = flips.find((f) => f.axis === 'budget') ?? flips[0];
  if (flip) return [flip.from, flip.to];
  let fallback: [ModelCell, ModelCell] | null = null;
  for (const wait of model.waitCounts) {
    for (const budget of model.budgets) {
      const cell = model.cellAt(budget, wait, extendWith);
      const next = cell ? model.budgetNeighbour(cell, 1) : undefined;
      if (!cell || !next) continue;
      if (hasResult(cell) && hasResult(next)) return [cell, next];
      fallback ??= [cell, next];
    }
  }
  if (fallback) return fallback;
  const cells = model.allCells().filter((c) => c.cell.key.extendWith === extendWith);
  return cells.length >= 2 ? [cells[0]!, cells[1]!] : null;
}
