/**
 * One tab per extension string of the sweep ("Wait", "Hmm", "Alternatively"). Hidden when the
 * sweep has only one. Keyboard: arrows move between tabs (one tab stop), as ARIA tabs do.
 */
import { h } from '../../shared/dom';

export class ExtensionTabs {
  readonly element: HTMLElement;
  private values: string[] = [];

  constructor(parent: HTMLElement, private readonly onPick: (extendWith: string) => void) {
    this.element = h('div', 'cv-tabs');
    this.element.setAttribute('role', 'tablist');
    this.element.setAttribute('aria-label', 'Extension strings');
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    parent.append(this.element);
  }

  render(values: readonly string[], current: string): void {
    this.values = [...values];
    this.element.hidden = values.length < 2;
    const hadFocus = this.element.contains(document.activeElement);
    this.element.replaceChildren(
      ...values.map((value) => {
        const tab = h('button', `cv-tab${value === current ? ' cv-tab-current' : ''}`, JSON.stringify(value));
        tab.type = 'button';
        tab.setAttribute('role', 'tab');
        tab.setAttribute('aria-selected', String(value === current));
        tab.tabIndex = value === current ? 0 : -1;
        tab.title = `Cells that append ${JSON.stringify(value)} in place of a suppressed end of thinking`;
        tab.addEventListener('click', () => this.onPick(value));
        return tab;
      }),
    );
    if (hadFocus) this.element.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const at = this.values.findIndex((_, i) => this.element.children[i] === document.activeElement);
    if (at < 0) return;
    let next = -1;
    if (event.key === 'ArrowRight') next = (at + 1) % this.values.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + this.values.length) % this.values.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = this.values.length - 1;
    if (next < 0) return;
    event.preventDefault();
    this.onPick(this.values[next]!);
  }
}
