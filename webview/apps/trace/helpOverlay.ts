/** The help overlay: every key of the stepper, from the same table the key handler uses. */
import { h } from '../../shared/dom';
import { KEY_BINDINGS } from './keyboard';

export class HelpOverlay {
  readonly element: HTMLElement;

  constructor(parent: HTMLElement, private readonly onClose: () => void) {
    this.element = h('div', 'ts-help');
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', 'Keyboard shortcuts');
    const panel = h('div', 'ts-help-panel');
    const table = h('table', 'ts-help-keys');
    for (const binding of KEY_BINDINGS) {
      const row = h('tr');
      const keys = h('td', 'ts-help-key');
      for (const label of binding.label.split('  ')) keys.append(h('kbd', '', label));
      row.append(keys, h('td', '', binding.description));
      table.append(row);
    }
    panel.append(
      h('h2', '', 'Trace stepper keys'),
      table,
      h('p', 'ts-muted', 'Click a token, a marker, the timeline or the chart to jump there. Esc closes this help. The keys are VS Code keybindings too (ThinkScope: Trace …), and can be changed there.'),
    );
    this.element.append(panel);
    this.element.addEventListener('click', (e) => {
      if (e.target === this.element) this.onClose();
    });
    parent.append(this.element);
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
  }
}
