/**
 * What the compare view's charts plot, per extension string: for each Wait count a series over the
 * budgets of thinking tokens used, answer tokens, or correctness. Pure.
 */
import { hasResult, type SweepModel } from './model';
import { budgetLabel, waitLabel } from './labels';

/** The three charts. */
export type ChartKind = 'thinking' | 'answer' | 'correct';

export const CHART_KINDS: readonly ChartKind[] = ['thinking', 'answer', 'correct'];

/** One point: a cell with a result, or a gap (y null) where a cell has none yet. */
export interface ChartPoint {
  y: number | null;
  /** The cell (see cellKeyString) the point stands for. */
  cellId: string;
  /** The cell's trace, which clicking the point opens. */
  traceId: string | null;
}

export interface ChartSeries {
  label: string;
  /** The Wait count the series is for. */
  waitCount: number | null;
  points: ChartPoint[];
}

export interface ChartData {
  /** One label per budget, in the model's order (x axis). */
  labels: string[];
  series: ChartSeries[];
  /** For the thinking chart: the budget itself at each label (null for no maximum), to draw y = budget. */
  budgetLine: Array<number | null> | null;
}

/** Chart titles and y-axis names. */
export const CHART_TITLES: Record<ChartKind, { title: string; axis: string }> = {
  thinking: { title: 'Thinking tokens used vs budget', axis: 'thinking tokens' },
  answer: { title: 'Answer length vs budget', axis: 'answer tokens' },
  correct: { title: 'Correctness vs budget', axis: 'correct' },
};

/** The series of one chart for one extension string. */
export function chartData(model: SweepModel, extendWith: string, kind: ChartKind): ChartData {
  const series: ChartSeries[] = model.waitCounts.map((waitCount) => ({
    label: waitLabel(waitCount, extendWith),
    waitCount,
    points: model.budgets.map((budget) => {
      const cell = model.cellAt(budget, waitCount, extendWith);
      if (!cell) return { y: null, cellId: '', traceId: null };
      const c = cell.cell;
      let y: number | null = null;
      if (hasResult(cell)) {
        if (kind === 'thinking') y = c.thinkingTokens;
        else if (kind === 'answer') y = c.answerTokens;
        else y = c.correct === null ? null : c.correct ? 1 : 0;
      }
      return { y, cellId: cell.id, traceId: hasResult(cell) ? c.traceId : null };
    }),
  }));
  return {
    labels: model.budgets.map(budgetLabel),
    series: series.filter((s) => s.points.some((p) => p.cellId !== '')),
    budgetLine: kind === 'thinking' ? [...model.budgets] : null,
  };
}
