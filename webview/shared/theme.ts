/**
 * The VS Code theme as the webview sees it: VS Code sets a class on <body> (vscode-light,
 * vscode-dark, vscode-high-contrast, vscode-high-contrast-light) and --vscode-* variables on
 * <html>. Styles use the variables directly; this module serves code that needs colours as values
 * (canvas drawing) and tells it when the theme changes.
 */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** The current theme kind, from the body's classes (dark when none is set). */
export function themeKind(): ThemeKind {
  const list = document.body.classList;
  if (list.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (list.contains('vscode-high-contrast')) return 'high-contrast';
  if (list.contains('vscode-light')) return 'light';
  return 'dark';
}

/** The value of a CSS custom property on <body>, or `fallback` when it is not set. */
export function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Calls `listener` whenever the theme (body class or root variables) changes; returns a stop function. */
export function onThemeChange(listener: () => void): () => void {
  const observer = new MutationObserver(() => listener());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
