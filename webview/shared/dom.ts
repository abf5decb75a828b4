/**
 * DOM helpers for webview code. Text always goes in through `textContent`: nothing here parses
 * HTML, so model text can never become markup.
 */

/** Creates an element with the given class names and, optionally, text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A codicon glyph (the codicon stylesheet must be on the page). */
export function codicon(name: string, className = ''): HTMLSpanElement {
  const span = h('span', `codicon codicon-${name}${className ? ` ${className}` : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** Whether keyboard input aimed at `target` belongs to a form control rather than to the page. */
export function isEditableOrControl(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const tag = target.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || tag === 'button') return true;
  if (tag.startsWith('vscode-')) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  const role = target.getAttribute('role');
  return role === 'listbox' || role === 'combobox' || role === 'option' || role === 'button' || role === 'textbox';
}
