/** The position line: "token 1,204 / 8,311 · step 17 / 64 · thinking", and short status notes. */
import { h } from '../../shared/dom';
import { formatCount } from '../../shared/format';
import type { TraceModel } from './model';

/** The position text for token `position` of `model`. */
export function positionText(model: TraceModel, position: number): string {
  const n = model.length;
  if (n === 0) return 'token 0 / 0';
  const step = model.stepIndexAt(position);
  const parts = [`token ${formatCount(position + 1)} / ${formatCount(n)}`];
  if (model.steps.length > 0) parts.push(`step ${formatCount(step + 1)} / ${formatCount(model.steps.length)}`);
  parts.push(model.kind(position));
  return parts.join(' · ');
}

export class PositionIndicator {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly note: HTMLElement;
  private noteTimer = 0;

  constructor(parent: HTMLElement) {
    this.element = h('div', 'ts-position');
    this.text = h('span', 'ts-position-text');
    this.note = h('span', 'ts-position-note');
    this.note.setAttribute('role', 'status');
    this.element.append(this.text, this.note);
    parent.append(this.element);
  }

  show(model: TraceModel, position: number): void {
    this.text.textContent = positionText(model, position);
  }

  /** A short note (e.g. "no next cue") that fades after a moment. */
  flash(message: string): void {
    this.note.textContent = message;
    clearTimeout(this.noteTimer);
    this.noteTimer = window.setTimeout(() => {
      this.note.textContent = '';
    }, 2500);
  }
}
