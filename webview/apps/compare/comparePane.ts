/**
 * Side-by-side answers of two cells with a word-level diff. The header says whether the final
 * answer flipped between them and, once the longer trace's analysis is in, the step where the model
 * changed its mind, with a button that opens the longer trace in the stepper at that step. Two
 * pickers choose any two cells of the sweep, and a button swaps them.
 */
import type { TraceAnalysis } from '../../../protocol/analysis';
import { codicon, h } from '../../shared/dom';
import { formatCount, preview } from '../../shared/format';
import { createButton } from '../../toolkit';
import { CellPicker } from './cellPicker';
import { findChangeOfMind, orderBySize, type AnswerFlip } from './flips';
import { answerLabel, cellLabel, correctnessMark, correctnessText, statusLabel, thinkingLabel } from './labels';
import { hasResult, type ModelCell, type SweepModel } from './model';
import { sideBySideDiff, type DiffSegment } from './wordDiff';

/** What the pane asks of the app. */
export interface CompareActions {
  setSide(cellId: string, side: 'a' | 'b'): void;
  swap(): void;
  /** Open a cell's trace in the stepper, at a token when one is given. */
  open(cellId: string, token?: number): void;
}

export interface CompareInput {
  model: SweepModel;
  /** The compared cells, A then B. */
  pair: readonly [ModelCell, ModelCell] | null;
  /** The flip between them when they are neighbours whose answers differ. */
  flip: AnswerFlip | undefined;
  analyses: ReadonlyMap<string, TraceAnalysis | null>;
  /** Traces whose analysis was asked for and has not come yet. */
  analysing: ReadonlySet<string>;
}

/** Longest step preview quoted in the header. */
const STEP_PREVIEW = 90;

export class ComparePane {
  readonly element: HTMLElement;
  private readonly pickers: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly sides: HTMLElement;
  private readonly pickerA: CellPicker;
  private readonly pickerB: CellPicker;

  constructor(parent: HTMLElement, private readonly actions: CompareActions) {
    this.element = h('section', 'cv-compare');
    this.element.setAttribute('aria-label', 'Compared answers');
    this.pickers = h('div', 'cv-pickers');
    this.headline = h('div', 'cv-headline');
    this.headline.setAttribute('aria-live', 'polite');
    this.sides = h('div', 'cv-sides');
    this.pickerA = new CellPicker('Cell compared as A', (id) => this.actions.setSide(id, 'a'));
    this.pickerB = new CellPicker('Cell compared as B', (id) => this.actions.setSide(id, 'b'));
    const group = (side: 'a' | 'b', picker: HTMLElement): HTMLElement => {
      const span = h('span', 'cv-picker-group');
      span.append(h('span', `cv-side-tag cv-side-tag-${side}`, side.toUpperCase()), picker);
      return span;
    };
    const swap = createButton({ icon: 'arrow-swap', title: 'Swap A and B', onClick: () => this.actions.swap() });
    this.pickers.append(group('a', this.pickerA.element), swap.element, group('b', this.pickerB.element));
    this.element.append(this.pickers, this.headline, this.sides);
    parent.append(this.element);
  }

  render(input: CompareInput): void {
    this.renderPickers(input);
    this.headline.replaceChildren();
    this.sides.replaceChildren();
    const pair = input.pair;
    if (!pair) {
      this.headline.append(h('p', 'cv-muted', 'Two cells are compared here once the sweep has them.'));
      return;
    }
    const [a, b] = pair;
    const traceA = input.model.traceOf(a);
    const traceB = input.model.traceOf(b);
    const diff = traceA && traceB ? sideBySideDiff(traceA.answer, traceB.answer) : null;
    this.renderHeadline(input, a, b, diff ? { removed: diff.removedWords, inserted: diff.insertedWords, tooDifferent: diff.tooDifferent } : null);
    this.sides.append(
      this.renderSide(input.model, 'A', a, diff ? diff.left : null),
      this.renderSide(input.model, 'B', b, diff ? diff.right : null),
    );
  }

  private renderPickers(input: CompareInput): void {
    const pair = input.pair;
    const cells = input.model.allCells().filter(hasResult);
    this.pickers.hidden = !pair || cells.length < 2;
    if (!pair) return;
    const several = input.model.extendWith.length > 1;
    const options = cells.map((c) => ({
      value: c.id,
      label: `${several ? `${c.cell.key.extendWith} · ` : ''}${cellLabel(c.cell.key)} — ${preview(answerLabel(c.cell.finalAnswer), 24)}`,
    }));
    // A side whose cell has no result yet is offered as itself, so the picker shows it.
    const withSide = (cell: ModelCell) =>
      options.some((o) => o.value === cell.id) ? options : [{ value: cell.id, label: `${cellLabel(cell.cell.key)} — ${statusLabel(cell.cell)}` }, ...options];
    this.pickerA.update(withSide(pair[0]), pair[0].id);
    this.pickerB.update(withSide(pair[1]), pair[1].id);
  }

  private renderHeadline(
    input: CompareInput,
    a: ModelCell,
    b: ModelCell,
    stats: { removed: number; inserted: number; tooDifferent: boolean } | null,
  ): void {
    const line = h('div', 'cv-flip-line');
    const answerA = a.cell.finalAnswer;
    const answerB = b.cell.finalAnswer;
    const differ = hasResult(a) && hasResult(b) && answerA !== null && answerB !== null && answerA !== answerB;
    if (differ) {
      line.classList.add(input.flip ? 'cv-flip' : 'cv-differ');
      line.append(codicon(input.flip ? 'arrow-swap' : 'diff'));
      line.append(h('strong', '', input.flip ? 'Answer flip' : 'Answers differ'));
      line.append(h('span', 'cv-flip-answers', `${answerA} → ${answerB}`));
      this.headline.append(line);
      this.headline.append(this.changeOfMind(input, a, b));
    } else if (hasResult(a) && hasResult(b)) {
      line.classList.add('cv-same');
      line.append(codicon('check-all'));
      line.append(h('span', '', answerA === null && answerB === null
        ? 'Neither answer has an extractable final answer'
        : answerA === answerB ? `Same final answer: ${answerA}` : 'Only one side has an extractable final answer'));
      this.headline.append(line);
    }
    if (stats) {
      const text = stats.tooDifferent
        ? `The answers differ too much for a word diff (−${formatCount(stats.removed)} / +${formatCount(stats.inserted)} words)`
        : `−${formatCount(stats.removed)} words · +${formatCount(stats.inserted)} words`;
      this.headline.append(h('div', 'cv-diff-stats', text));
    }
  }

  /** The change of mind in the longer trace, or why it is not shown. */
  private changeOfMind(input: CompareInput, a: ModelCell, b: ModelCell): HTMLElement {
    const box = h('div', 'cv-change');
    const [shorterCell, longerCell] = orderBySize(a, b);
    const shorter = input.model.traceOf(shorterCell);
    const longer = input.model.traceOf(longerCell);
    if (!shorter || !longer) return box;
    const side = longerCell === a ? 'A' : 'B';
    const analysis = input.analyses.get(longer.id);
    if (analysis === undefined) {
      box.append(codicon('loading', 'codicon-modifier-spin'), h('span', 'cv-muted', input.analysing.has(longer.id)
        ? `Finding where ${side} changed its mind…`
        : `Where ${side} changed its mind shows once its analysis is in.`));
      return box;
    }
    if (analysis === null) {
      box.append(h('span', 'cv-muted', `The analysis of ${side} is not available, so the step where it changed its mind is not known.`));
      return box;
    }
    const change = findChangeOfMind(shorter, longer, analysis, longerCell.cell.finalAnswer);
    if (!change) {
      box.append(h('span', 'cv-muted', `No step of ${side} after the point where ${side === 'A' ? 'B' : 'A'} stopped proposes ${answerLabel(longerCell.cell.finalAnswer)}.`));
      return box;
    }
    const where = change.step
      ? `step ${change.step.index + 1} (token ${formatCount(change.candidate.token)}${change.step.phase === 'answer' ? ', in the answer' : ''})`
      : `token ${formatCount(change.candidate.token)}`;
    box.append(h('span', '', `${side} changed its mind at ${where}: `));
    if (change.step) box.append(h('q', 'cv-step-preview', preview(change.step.preview, STEP_PREVIEW)));
    const token = change.step ? change.step.startToken : change.candidate.token;
    const open = createButton({
      icon: 'go-to-file',
      label: `Open ${side} at this step`,
      title: `Open ${side}'s trace in the stepper at token ${token}`,
      appearance: 'secondary',
      onClick: () => this.actions.open(longerCell.id, token),
    });
    open.element.classList.add('cv-open-step');
    box.append(open.element);
    return box;
  }

  private renderSide(model: SweepModel, side: 'A' | 'B', cell: ModelCell, segments: DiffSegment[] | null): HTMLElement {
    const column = h('div', `cv-side cv-side-${side.toLowerCase()}`);
    const header = h('div', 'cv-side-head');
    header.append(h('span', `cv-side-tag cv-side-tag-${side.toLowerCase()}`, side));
    header.append(h('span', 'cv-side-label', cellLabel(cell.cell.key)));
    if (hasResult(cell)) {
      header.append(h('span', 'cv-muted', `${thinkingLabel(cell.cell)} · ${formatCount(cell.cell.answerTokens ?? 0)} answer tokens`));
      const answer = h('span', 'cv-side-answer', answerLabel(cell.cell.finalAnswer));
      header.append(answer);
      if (model.judged()) {
        const mark = h('span', `cv-mark cv-mark-${cell.cell.correct === true ? 'ok' : cell.cell.correct === false ? 'bad' : 'none'}`, correctnessMark(cell.cell.correct));
        mark.title = correctnessText(cell.cell.correct);
        header.append(mark);
      }
      const open = createButton({ icon: 'go-to-file', title: `Open ${side}'s trace in the stepper`, onClick: () => this.actions.open(cell.id) });
      open.element.classList.add('cv-open');
      header.append(open.element);
    }
    column.append(header);
    const text = h('div', 'cv-text');
    text.setAttribute('aria-label', `Answer ${side}`);
    if (segments === null) {
      text.append(h('span', 'cv-muted', hasResult(cell) ? 'Waiting for the other side…' : statusLabel(cell.cell)));
    } else if (segments.length === 0) {
      text.append(h('span', 'cv-muted', '(empty answer)'));
    } else {
      for (const segment of segments) {
        if (segment.kind === 'same') text.append(document.createTextNode(segment.text));
        else {
          const mark = h(segment.kind === 'inserted' ? 'ins' : 'del', `cv-${segment.kind}`, segment.text);
          text.append(mark);
        }
      }
    }
    column.append(text);
    return column;
  }
}
