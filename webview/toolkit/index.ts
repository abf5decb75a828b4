/**
 * The only door to @vscode/webview-ui-toolkit. The toolkit is deprecated upstream; apps build
 * their controls through these factories, so replacing it means rewriting this folder only.
 * Every factory returns plain HTMLElements and takes text through `textContent`.
 */
import './toolkit.css';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the toolkit's custom elements once per page. */
export function registerToolkit(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing());
  registered = true;
}

export interface ButtonOptions {
  /** Codicon name shown in the button (e.g. "debug-start"). */
  icon?: string;
  /** Visible label; an icon-only button has none. */
  label?: string;
  /** Tooltip and accessible name. */
  title: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  onClick: () => void;
}

/** A toolkit button; icon-only buttons get the toolkit's icon appearance. */
export interface ToolkitButton {
  element: HTMLElement;
  setIcon(icon: string): void;
  setTitle(title: string): void;
}

/** Creates a toolkit button. */
export function createButton(options: ButtonOptions): ToolkitButton {
  registerToolkit();
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', options.appearance ?? (options.label ? 'secondary' : 'icon'));
  const icon = document.createElement('span');
  icon.setAttribute('aria-hidden', 'true');
  const setIcon = (name: string): void => {
    icon.className = `codicon codicon-${name}`;
  };
  if (options.icon) {
    setIcon(options.icon);
    if (options.label) icon.setAttribute('slot', 'start');
    element.append(icon);
  }
  if (options.label) element.append(document.createTextNode(options.label));
  const setTitle = (title: string): void => {
    element.title = title;
    element.setAttribute('aria-label', title);
  };
  setTitle(options.title);
  element.addEventListener('click', () => options.onClick());
  return { element, setIcon, setTitle };
}

export interface DropdownOption<T extends string> {
  value: T;
  label: string;
}

/** A toolkit dropdown holding one of a fixed set of values. */
export interface ToolkitDropdown<T extends string> {
  element: HTMLElement;
  value(): T;
  setValue(value: T): void;
}

/** Creates a toolkit dropdown; `onChange` fires when the user picks another value. */
export function createDropdown<T extends string>(options: {
  options: readonly DropdownOption<T>[];
  value: T;
  title: string;
  onChange: (value: T) => void;
}): ToolkitDropdown<T> {
  registerToolkit();
  const element = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  element.title = options.title;
  element.setAttribute('aria-label', options.title);
  for (const option of options.options) {
    const item = document.createElement('vscode-option') as HTMLElement & { value: string };
    item.setAttribute('value', option.value);
    item.textContent = option.label;
    element.append(item);
  }
  const known = new Set<string>(options.options.map((o) => o.value));
  let current = options.value;
  const setValue = (value: T): void => {
    current = value;
    element.value = value;
    element.setAttribute('current-value', value);
  };
  setValue(options.value);
  element.addEventListener('change', () => {
    const picked = element.value;
    if (!known.has(picked) || picked === current) return;
    current = picked as T;
    options.onChange(current);
  });
  return { element, value: () => current, setValue };
}

/** A toolkit badge whose text can change. */
export interface ToolkitBadge {
  element: HTMLElement;
  setText(text: string): void;
}

/**
 * Creates a badge. The toolkit's <vscode-badge> sets an inline `style` attribute, which a strict
 * Content-Security-Policy (no 'unsafe-inline') refuses, so the badge is drawn here with the same
 * theme colours (toolkit.css).
 */
export function createBadge(text: string, title?: string): ToolkitBadge {
  const element = document.createElement('span');
  element.className = 'tk-badge';
  element.textContent = text;
  if (title) element.title = title;
  return {
    element,
    setText: (value: string) => {
      element.textContent = value;
    },
  };
}

/** Creates a toolkit progress ring (an indeterminate spinner). */
export function createProgressRing(title: string): HTMLElement {
  registerToolkit();
  const element = document.createElement('vscode-progress-ring');
  element.setAttribute('aria-label', title);
  element.title = title;
  return element;
}
