/**
 * Runs the real compare view bundle (out/webview/compare.js and .css, built by
 * `node scripts/build.mjs --only=webview`) in headless Chromium, in the very page the extension
 * serves (extension/webview/htmlTemplate.ts, with its strict Content-Security-Policy), with a
 * stand-in for the webview API that hands every posted message to the test, and VS Code's Light
 * Modern or Dark Modern theme variables.
 *
 * ```ts
 * const browser = await launchBrowser();
 * const view = await openCompareView(browser, { theme: 'dark' });
 * await view.send({ type: 'load', sweep, source: { label: 'a.sweep.json' }, live: false });
 * await view.page.locator('.cv-grid td').first().click();
 * ```
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CompareViewInbound } from '../../../protocol/compareView';
import { buildWebviewHtml, createNonce } from '../../../extension/webview/htmlTemplate';
import { THEMES, type ThemeName } from './themes';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Where the webview bundles are. */
export const BUNDLE_DIR = join(REPO_ROOT, 'out', 'webview');
/** Where screenshots go. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'webview');
/** The Chromium binary (Debian's package; override with THINKSCOPE_CHROMIUM). */
export const CHROMIUM_PATH = process.env.THINKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** The origin the page and its resources are served from (as a webview's resource origin). */
const ORIGIN = 'https://webview.thinkscope.test';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Starts headless Chromium; close it with `browser.close()`. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(BUNDLE_DIR, 'compare.js'))) {
    throw new Error(`${join(BUNDLE_DIR, 'compare.js')} is missing: build it first with "node scripts/build.mjs --only=webview"`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
  });
}

export interface CompareViewOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  /** State the webview API returns from getState (as after a reload). */
  savedState?: unknown;
}

/** The compare view in a page, with the host's side of the conversation. */
export interface CompareView {
  page: Page;
  /** Messages the view posted to the host, oldest first. */
  readonly posted: unknown[];
  /** Page errors, console errors and Content-Security-Policy violations. */
  readonly errors: string[];
  /** Called with every message the view posts (after it is recorded in `posted`). */
  onPost: ((message: unknown) => void) | null;
  /** Sends a message from the host to the view. */
  send(message: CompareViewInbound): Promise<void>;
  /** Resolves with the first posted message (already posted or to come) that `predicate` accepts. */
  waitForPost<T = unknown>(predicate: (message: unknown) => boolean, timeoutMs?: number): Promise<T>;
  /** The state the view last saved with setState. */
  savedState(): Promise<unknown>;
  /** Switches the VS Code theme (body class and --vscode-* variables). */
  setTheme(theme: ThemeName): Promise<void>;
  /** Saves a PNG of the page as test-results/webview/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Opens the compare view in a fresh page of `browser` and waits until it has posted `ready`. */
export async function openCompareView(browser: Browser, options: CompareViewOptions = {}): Promise<CompareView> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
  const posted: unknown[] = [];
  const errors: string[] = [];
  const waiters: Array<{ predicate: (m: unknown) => boolean; resolve: (m: unknown) => void }> = [];
  const view: CompareView = {
    page,
    posted,
    errors,
    onPost: null,
    async send(message) {
      await page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>);
    },
    waitForPost<T>(predicate: (message: unknown) => boolean, timeoutMs = 10_000): Promise<T> {
      const found = posted.find(predicate);
      if (found !== undefined) return Promise.resolve(found as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the view posted no matching message in ${timeoutMs} ms; posted: ${JSON.stringify(posted).slice(0, 2000)}`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m as T);
          },
        });
      });
    },
    savedState: () => page.evaluate(() => (window as unknown as { __savedState: unknown }).__savedState),
    async setTheme(theme) {
      await page.evaluate(themeScript({ className: THEMES[theme].className, variables: THEMES[theme].variables }));
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => page.close(),
  };
  await page.exposeFunction('__thinkscopePost', (message: unknown) => {
    posted.push(message);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.predicate(message)) {
        waiters[i]!.resolve(message);
        waiters.splice(i, 1);
      }
    }
    view.onPost?.(message);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  const theme = THEMES[options.theme ?? 'dark'];
  await page.addInitScript({ content: hostStubScript({ savedState: options.savedState ?? null, className: theme.className, variables: theme.variables }) });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') {
      await route.fulfill({ contentType: 'text/html', body: pageHtml() });
      return;
    }
    const file = normalize(join(BUNDLE_DIR, decodeURIComponent(path)));
    if (!file.startsWith(BUNDLE_DIR + sep) || !existsSync(file)) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await view.waitForPost((m) => (m as { type?: string }).type === 'ready');
  return view;
}

/** The page the extension serves for the compare view, with this harness's origin. */
function pageHtml(): string {
  return buildWebviewHtml({
    cspSource: ORIGIN,
    nonce: createNonce(),
    title: 'ThinkScope: Budget Sweep',
    scriptUri: `${ORIGIN}/compare.js`,
    styleUris: [`${ORIGIN}/codicons/codicon.css`, `${ORIGIN}/compare.css`],
  });
}

/**
 * Runs in the page before its scripts: the webview API stand-in, the theme, CSP reporting. Kept
 * as source text: functions handed to the page must not carry the helpers the TypeScript loader
 * adds to compiled code.
 */
function hostStubScript(options: { savedState: unknown; className: string; variables: Record<string, string> }): string {
  return `(() => {
  const options = ${JSON.stringify(options)};
  window.__savedState = options.savedState;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage: (message) => window.__thinkscopePost(JSON.parse(JSON.stringify(message))),
      getState: () => window.__savedState ?? undefined,
      setState: (state) => { window.__savedState = JSON.parse(JSON.stringify(state)); },
    };
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI + ' at ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber);
  });
  const apply = () => {
    if (!document.documentElement || !document.body) return false;
    for (const [name, value] of Object.entries(options.variables)) document.documentElement.style.setProperty(name, value);
    document.body.classList.add(options.className);
    return true;
  };
  if (!apply()) {
    const observer = new MutationObserver(() => { if (apply()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
})();`;
}

/** Switches the theme in a running page, as VS Code does. */
function themeScript(theme: { className: string; variables: Record<string, string> }): string {
  return `(() => {
  const theme = ${JSON.stringify(theme)};
  document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
  document.body.classList.add(theme.className);
  for (const [name, value] of Object.entries(theme.variables)) document.documentElement.style.setProperty(name, value);
})()`;
}
