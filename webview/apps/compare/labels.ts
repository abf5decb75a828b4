/** How the compare view names budgets, Wait counts, cells and results. Pure. */
import type { SweepCell, SweepCellKey } from '../../../protocol/sweep';
import { formatCount } from '../../shared/format';

/** 128 → "128", null → "no max". */
export function budgetLabel(budget: number | null): string {
  return budget === null ? 'no max' : formatCount(budget);
}

/** 2 → "2× Wait", null → "min only" (ends suppressed only below the minimum). */
export function waitLabel(count: number | null, extendWith: string): string {
  return count === null ? 'min only' : `${count}× ${extendWith.trim() || JSON.stringify(extendWith)}`;
}

/** "budget 128 · 1× Wait". */
export function cellLabel(key: SweepCellKey): string {
  return `budget ${budgetLabel(key.maxThinkingTokens)} · ${waitLabel(key.ignoreEnd, key.extendWith)}`;
}

/** The correctness mark of a cell: ✓, ✗, or – when it was not judged (no answer found). */
export function correctnessMark(correct: boolean | null): string {
  return correct === true ? '✓' : correct === false ? '✗' : '–';
}

/** Words for the correctness mark, for titles and screen readers. */
export function correctnessText(correct: boolean | null): string {
  return correct === true ? 'correct' : correct === false ? 'wrong' : 'not judged';
}

/** A final answer for display: the answer, or "no answer" when none was extracted. */
export function answerLabel(answer: string | null): string {
  return answer === null ? 'no answer' : answer;
}

/** "97 / 128 thinking tokens", "300 thinking tokens" without a maximum. */
export function thinkingLabel(cell: SweepCell): string {
  if (cell.thinkingTokens === null) return '';
  const max = cell.key.maxThinkingTokens;
  return max === null ? `${formatCount(cell.thinkingTokens)} thinking` : `${formatCount(cell.thinkingTokens)} / ${formatCount(max)} thinking`;
}

/** What a cell that has no result shows. */
export function statusLabel(cell: SweepCell): string {
  switch (cell.status) {
    case 'pending':
      return 'running…';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return cell.error ? `failed: ${cell.error}` : 'failed';
    default:
      return '';
  }
}
