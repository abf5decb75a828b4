/**
 * A picker of one sweep cell: a native <select> styled with the theme's dropdown colours. A sweep
 * can have hundreds of cells and the list changes with every finished cell; a native select
 * rebuilds that in a few milliseconds, where the toolkit's dropdown takes a quarter of a second.
 */
import { h } from '../../shared/dom';

export interface CellOption {
  value: string;
  label: string;
}

export class CellPicker {
  readonly element: HTMLSelectElement;
  private signature = '';

  constructor(title: string, onPick: (value: string) => void) {
    this.element = h('select', 'cv-picker');
    this.element.title = title;
    this.element.setAttribute('aria-label', title);
    this.element.addEventListener('change', () => onPick(this.element.value));
  }

  /** Shows these options with `value` selected; does nothing when neither changed. */
  update(options: readonly CellOption[], value: string): void {
    const signature = JSON.stringify([options, value]);
    if (signature === this.signature) return;
    this.signature = signature;
    const hadFocus = document.activeElement === this.element;
    this.element.replaceChildren(
      ...options.map((o) => {
        const option = h('option', '', o.label);
        option.value = o.value;
        return option;
      }),
    );
    this.element.value = value;
    if (hadFocus) this.element.focus();
  }
}
