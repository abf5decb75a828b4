/** A floating tooltip for markers: a title and lines of text, placed next to its anchor. */
import { h } from '../../shared/dom';

export class Tooltip {
  readonly element: HTMLElement;

  constructor(parent: HTMLElement) {
    this.element = h('div', 'ts-tooltip');
    this.element.hidden = true;
    this.element.setAttribute('role', 'tooltip');
    parent.append(this.element);
  }

  /** Shows `title` and `lines` under (or above) `anchor`. */
  show(anchor: HTMLElement, title: string, lines: readonly string[]): void {
    this.element.replaceChildren(h('div', 'ts-tooltip-title', title), ...lines.map((line) => h('div', 'ts-tooltip-line', line)));
    this.element.hidden = false;
    const box = anchor.getBoundingClientRect();
    const tip = this.element.getBoundingClientRect();
    const left = Math.max(4, Math.min(window.innerWidth - tip.width - 4, box.left));
    const below = box.bottom + 4;
    const top = below + tip.height > window.innerHeight - 4 ? Math.max(4, box.top - tip.height - 4) : below;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
