/**
 * The grid of a sweep's cells for one extension string: budgets across, Wait counts down. Each cell
 * shows its final answer, its correctness (when there is a ground truth) and how much thinking it
 * used; answer flips are marked on the cell where the answer changed; the compared pair carries A
 * and B badges. Keyboard: arrows, Home and End move (one tab stop, roving), Enter or Space compares
 * the cell with its smaller neighbour, A and B set one side, O opens the trace in the stepper.
 */
import type { TraceAnalysis } from '../../../protocol/analysis';
import { codicon, h } from '../../shared/dom';
import { preview } from '../../shared/format';
import { findChangeOfMind, type AnswerFlip } from './flips';
import { answerLabel, budgetLabel, correctnessMark, correctnessText, statusLabel, thinkingLabel, waitLabel } from './labels';
import { hasResult, type ModelCell, type SweepModel } from './model';

/** What the grid asks of the app. */
export interface GridActions {
  /** Compare this cell with its neighbour (the default pair for a cell). */
  select(cellId: string): void;
  /** Put this cell on one side of the comparison. */
  setSide(cellId: string, side: 'a' | 'b'): void;
  /** Open this cell's trace in the stepper. */
  open(cellId: string): void;
  /** The focused cell changed (for the saved state). */
  focus(cellId: string): void;
}

/** What the grid shows. */
export interface GridInput {
  model: SweepModel;
  extendWith: string;
  flips: readonly AnswerFlip[];
  /** Ids of the compared cells, A then B. */
  pair: readonly [string, string] | null;
  focus: string | null;
  analyses: ReadonlyMap<string, TraceAnalysis | null>;
}

/** Longest answer shown in a grid cell; the full answer is in the title and the compare pane. */
const ANSWER_PREVIEW = 28;

export class SweepGrid {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  /** Cell ids by [row][column], for keyboard movement. */
  private layout: string[][] = [];
  private focusId: string | null = null;

  constructor(parent: HTMLElement, private readonly actions: GridActions) {
    this.element = h('section', 'cv-grid-section');
    this.element.setAttribute('aria-label', 'Sweep cells');
    this.table = h('table', 'cv-grid');
    this.table.setAttribute('role', 'grid');
    this.table.setAttribute('aria-label', 'Sweep cells: budgets across, Wait counts down');
    const scroller = h('div', 'cv-grid-scroller');
    scroller.append(this.table);
    const hint = h(
      'p',
      'cv-hint',
      'Click a cell to compare it with the next smaller budget · Shift+click or A: set side A · Ctrl+click or B: set side B · double-click or O: open in the stepper',
    );
    this.element.append(scroller, hint);
    parent.append(this.element);
    this.table.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Redraws the grid; keeps keyboard focus on the same cell when the grid had it. */
  render(input: GridInput): void {
    const hadFocus = this.table.contains(document.activeElement);
    const { model, extendWith } = input;
    this.table.replaceChildren();
    const head = h('thead');
    const headRow = h('tr');
    headRow.setAttribute('role', 'row');
    const corner = h('th', 'cv-corner', 'Wait \\ budget');
    corner.setAttribute('role', 'columnheader');
    headRow.append(corner);
    for (const budget of model.budgets) {
      const th = h('th', 'cv-col', budgetLabel(budget));
      th.setAttribute('role', 'columnheader');
      th.title = budget === null ? 'No maximum of thinking tokens' : `At most ${budget} thinking tokens`;
      headRow.append(th);
    }
    head.append(headRow);
    const body = h('tbody');
    this.layout = [];
    const ids = new Set<string>();
    for (const wait of model.waitCounts) {
      const row = h('tr');
      row.setAttribute('role', 'row');
      const th = h('th', 'cv-row', waitLabel(wait, extendWith));
      th.setAttribute('role', 'rowheader');
      th.title = wait === null
        ? 'Ends of thinking suppressed only below the minimum'
        : `The end of thinking suppressed ${wait} time${wait === 1 ? '' : 's'}, each time appending ${JSON.stringify(extendWith)}`;
      row.append(th);
      const line: string[] = [];
      for (const budget of model.budgets) {
        const cell = model.cellAt(budget, wait, extendWith);
        if (!cell) {
          const empty = h('td', 'cv-cell cv-absent', '');
          empty.setAttribute('role', 'gridcell');
          empty.setAttribute('aria-label', 'not in this sweep');
          row.append(empty);
          continue;
        }
        line.push(cell.id);
        ids.add(cell.id);
        row.append(this.renderCell(cell, input));
      }
      this.layout.push(line);
      body.append(row);
    }
    this.table.append(head, body);
    const focus = this.focusId !== null && ids.has(this.focusId)
      ? this.focusId
      : input.focus !== null && ids.has(input.focus) ? input.focus : (this.layout.flat()[0] ?? null);
    this.setFocus(focus, hadFocus);
  }

  private renderCell(cell: ModelCell, input: GridInput): HTMLTableCellElement {
    const { model, flips, pair } = input;
    const c = cell.cell;
    const td = h('td', `cv-cell cv-${c.status}`);
    td.setAttribute('role', 'gridcell');
    td.dataset.cell = cell.id;
    td.tabIndex = -1;
    const label: string[] = [`budget ${budgetLabel(c.key.maxThinkingTokens)}, ${waitLabel(c.key.ignoreEnd, c.key.extendWith)}`];
    const title: string[] = [];
    if (hasResult(cell)) {
      const top = h('div', 'cv-cell-top');
      const answer = h('span', `cv-answer${c.finalAnswer === null ? ' cv-none' : ''}`, preview(answerLabel(c.finalAnswer), ANSWER_PREVIEW));
      top.append(answer);
      if (model.judged()) {
        const mark = h('span', `cv-mark cv-mark-${c.correct === true ? 'ok' : c.correct === false ? 'bad' : 'none'}`, correctnessMark(c.correct));
        mark.title = correctnessText(c.correct);
        top.append(mark);
      }
      td.append(top, h('div', 'cv-cell-sub', thinkingLabel(c) + (c.status === 'cancelled' ? ' · cancelled' : '')));
      label.push(`answer ${answerLabel(c.finalAnswer)}`);
      if (model.judged()) label.push(correctnessText(c.correct));
      label.push(thinkingLabel(c) + ' tokens');
      title.push(`Final answer: ${answerLabel(c.finalAnswer)}`, `${thinkingLabel(c)} tokens, ${c.answerTokens ?? 0} answer tokens`);
    } else {
      const status = h('div', 'cv-cell-status');
      if (c.status === 'pending') status.append(codicon('loading', 'codicon-modifier-spin'));
      if (c.status === 'failed') status.append(codicon('error'));
      status.append(h('span', '', preview(statusLabel(c), ANSWER_PREVIEW)));
      td.append(status);
      label.push(statusLabel(c));
      title.push(statusLabel(c));
    }
    for (const flip of flips) {
      if (flip.to.id !== cell.id) continue;
      td.classList.add(flip.axis === 'budget' ? 'cv-flip-budget' : 'cv-flip-wait');
      const badge = h('span', `cv-flip-badge cv-flip-badge-${flip.axis}`);
      badge.append(codicon(flip.axis === 'budget' ? 'arrow-right' : 'arrow-down'));
      td.append(badge);
      const from = flip.axis === 'budget'
        ? `budget ${budgetLabel(flip.from.cell.key.maxThinkingTokens)}`
        : waitLabel(flip.from.cell.key.ignoreEnd, flip.from.cell.key.extendWith);
      const text = `Answer flip from ${from}: ${flip.before} → ${flip.after}${this.changeOfMindNote(flip, input)}`;
      title.push(text);
      label.push(text);
    }
    if (pair) {
      const side = pair[0] === cell.id ? 'A' : pair[1] === cell.id ? 'B' : null;
      if (side) {
        td.classList.add('cv-selected', `cv-side-${side.toLowerCase()}`);
        td.setAttribute('aria-selected', 'true');
        const badge = h('span', 'cv-side-badge', side);
        badge.setAttribute('aria-hidden', 'true');
        td.append(badge);
        label.push(`compared as ${side}`);
      } else {
        td.setAttribute('aria-selected', 'false');
      }
    }
    td.title = title.join('\n');
    td.setAttribute('aria-label', label.join(', '));
    td.addEventListener('click', (event) => {
      this.setFocus(cell.id, true);
      this.actions.focus(cell.id);
      if (event.shiftKey) this.actions.setSide(cell.id, 'a');
      else if (event.ctrlKey || event.metaKey) this.actions.setSide(cell.id, 'b');
      else this.actions.select(cell.id);
    });
    td.addEventListener('dblclick', () => this.actions.open(cell.id));
    return td;
  }

  /** " (changed its mind at step 7)" once the longer trace's analysis is in; "" before. */
  private changeOfMindNote(flip: AnswerFlip, input: GridInput): string {
    const shorter = input.model.traceOf(flip.from);
    const longer = input.model.traceOf(flip.to);
    const analysis = longer ? input.analyses.get(longer.id) : undefined;
    if (!shorter || !longer || !analysis) return '';
    const change = findChangeOfMind(shorter, longer, analysis, flip.after);
    if (!change) return '';
    return change.step ? ` (changed its mind at step ${change.step.index + 1})` : ` (changed its mind at token ${change.candidate.token})`;
  }

  private cellElement(id: string): HTMLElement | null {
    for (const td of this.table.querySelectorAll<HTMLElement>('td[data-cell]')) if (td.dataset.cell === id) return td;
    return null;
  }

  private setFocus(id: string | null, moveFocus: boolean): void {
    for (const td of this.table.querySelectorAll<HTMLElement>('td[data-cell]')) td.tabIndex = -1;
    this.focusId = id;
    if (id === null) return;
    const td = this.cellElement(id);
    if (!td) return;
    td.tabIndex = 0;
    if (moveFocus) td.focus();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || this.focusId === null) return;
    const row = this.layout.findIndex((line) => line.includes(this.focusId!));
    if (row < 0) return;
    const col = this.layout[row]!.indexOf(this.focusId);
    let target: string | undefined;
    switch (event.key) {
      case 'ArrowRight':
        target = this.layout[row]![col + 1];
        break;
      case 'ArrowLeft':
        target = this.layout[row]![col - 1];
        break;
      case 'ArrowDown':
        target = this.layout[row + 1]?.[Math.min(col, this.layout[row + 1]!.length - 1)];
        break;
      case 'ArrowUp':
        target = this.layout[row - 1]?.[Math.min(col, this.layout[row - 1]!.length - 1)];
        break;
      case 'Home':
        target = this.layout[row]![0];
        break;
      case 'End':
        target = this.layout[row]![this.layout[row]!.length - 1];
        break;
      case 'Enter':
      case ' ':
        this.actions.select(this.focusId);
        break;
      case 'a':
      case 'A':
        this.actions.setSide(this.focusId, 'a');
        break;
      case 'b':
      case 'B':
        this.actions.setSide(this.focusId, 'b');
        break;
      case 'o':
      case 'O':
        this.actions.open(this.focusId);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (target !== undefined) {
      this.setFocus(target, true);
      this.actions.focus(target);
    }
  }
}
