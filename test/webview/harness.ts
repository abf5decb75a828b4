/**
 * Runs the REAL stepper bundle (out/webview/trace.js, trace.css and the codicons) in headless
 * Chromium, in the page the extension builds (extension/webview/htmlTemplate.ts, same CSP), served
 * from a local HTTP server. A shim stands in for VS Code's webview API: it records every posted
 * message and holds the state. A theme sets the --vscode-* variables and the body class the way
 * VS Code does. Used by the webview tests and the stepper benchmark.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWebviewHtml, createNonce } from '../../extension/webview/htmlTemplate';
import type { TraceAnalysis } from '../../protocol/analysis';
import type { TraceDocument } from '../../protocol/trace';
import { encodeTokenColumns } from '../../protocol/traceColumns';
import type { TraceViewHostMessage } from '../../protocol/traceView';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = join(ROOT, 'out', 'webview');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type ThemeName = 'light' | 'dark' | 'high-contrast';

interface Theme {
  bodyClass: string;
  vars: Record<string, string>;
}

const COMMON = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", "Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '13px',
};

/** --vscode-* variables of the default Light Modern, Dark Modern and High Contrast themes (the ones the stepper uses). */
export const THEMES: Record<ThemeName, Theme> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#3b3b3b', '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171', '--vscode-focusBorder': '#005fb8', '--vscode-editor-selectionBackground': '#add6ff',
      '--vscode-panel-border': '#e5e5e5', '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#e5e5e5',
      '--vscode-sideBar-background': '#f8f8f8', '--vscode-textBlockQuote-background': '#f8f8f8', '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-yellow': '#bf8803', '--vscode-charts-purple': '#652d90', '--vscode-editorCursor-foreground': '#000000',
      '--vscode-editorHoverWidget-background': '#f8f8f8', '--vscode-editorHoverWidget-foreground': '#3b3b3b',
      '--vscode-editorHoverWidget-border': '#c8c8c8', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)', '--vscode-keybindingLabel-background': 'rgba(221, 221, 221, 0.4)',
      '--vscode-keybindingLabel-foreground': '#3b3b3b', '--vscode-keybindingLabel-border': 'rgba(204, 204, 204, 0.4)',
      '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-progressBar-background': '#005fb8', '--vscode-icon-foreground': '#3b3b3b',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#cccccc', '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-focusBorder': '#0078d4', '--vscode-editor-selectionBackground': '#264f78',
      '--vscode-panel-border': '#2b2b2b', '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#454545',
      '--vscode-sideBar-background': '#181818', '--vscode-textBlockQuote-background': '#2b2b2b', '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-purple': '#b180d7', '--vscode-editorCursor-foreground': '#aeafad',
      '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-foreground': '#cccccc',
      '--vscode-editorHoverWidget-border': '#454545', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)', '--vscode-keybindingLabel-background': 'rgba(128, 128, 128, 0.17)',
      '--vscode-keybindingLabel-foreground': '#cccccc', '--vscode-keybindingLabel-border': 'rgba(51, 51, 51, 0.6)',
      '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-progressBar-background': '#0078d4', '--vscode-icon-foreground': '#cccccc',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...COMMON,
      '--vscode-foreground': '#ffffff', '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000',
      '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518', '--vscode-editor-selectionBackground': '#ffffff', '--vscode-panel-border': '#6fc3df',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df', '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-purple': '#b180d7', '--vscode-editorCursor-foreground': '#ffffff',
      '--vscode-editorHoverWidget-background': '#0c141f', '--vscode-editorHoverWidget-foreground': '#ffffff',
      '--vscode-editorHoverWidget-border': '#6fc3df', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df', '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-dropdown-border': '#6fc3df', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff',
      '--vscode-keybindingLabel-foreground': '#ffffff', '--vscode-keybindingLabel-border': '#6fc3df',
      '--vscode-inputValidation-errorBackground': '#000000', '--vscode-inputValidation-errorBorder': '#f48771',
      '--vscode-icon-foreground': '#ffffff',
    },
  },
};

const MIME: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html',
};

/** Throws a clear error when the bundle has not been built or Chromium is missing. */
export function requireBundle(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  if (!existsSync(join(BUNDLE_DIR, 'trace.js'))) {
    throw new Error(`${join(BUNDLE_DIR, 'trace.js')} is missing: build it with "node scripts/build.mjs --only=webview"`);
  }
}

export interface OpenOptions {
  theme?: ThemeName;
  /** The state the webview API starts with (what VS Code would restore). */
  state?: unknown;
  width?: number;
  height?: number;
  /** Extra script source run before the page's own (after the shim). */
  initScript?: string;
}

/** A local server for the bundle plus one Chromium. */
export class StepperHarness {
  private constructor(private readonly server: Server, readonly origin: string, private readonly browser: Browser) {}

  static async launch(): Promise<StepperHarness> {
    requireBundle();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const origin = `http://${req.headers.host}`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(buildWebviewHtml({
          cspSource: origin,
          nonce: createNonce(),
          title: 'Trace',
          scriptUri: `${origin}/trace.js`,
          styleUris: [`${origin}/codicons/codicon.css`, `${origin}/trace.css`],
        }));
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      const file = normalize(join(BUNDLE_DIR, decodeURIComponent(url.pathname)));
      if (!file.startsWith(BUNDLE_DIR) || !existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the test server has no port');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
    });
    return new StepperHarness(server, `http://127.0.0.1:${address.port}`, browser);
  }

  /** Opens the stepper page in a fresh context; it is ready (it posted "ready") when this resolves. */
  async open(options: OpenOptions = {}): Promise<StepperPage> {
    const theme = THEMES[options.theme ?? 'dark'];
    const context = await this.browser.newContext({ viewport: { width: options.width ?? 1100, height: options.height ?? 720 } });
    const page = await context.newPage();
    const stepper = new StepperPage(context, page);
    await page.addInitScript({ content: shimScript({ state: options.state ?? null, vars: theme.vars, bodyClass: theme.bodyClass }) });
    if (options.initScript) await page.addInitScript({ content: options.initScript });
    await page.goto(this.origin);
    await page.waitForFunction(() => window.__posted.some((m) => (m as { type?: string }).type === 'ready'));
    return stepper;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

declare global {
  interface Window {
    __posted: unknown[];
    __state: unknown;
    __cspViolations: string[];
    __acquireCount: number;
    /** Parses messageJson() text back into a message with its typed arrays. */
    __revive: (json: string) => unknown;
  }
}

/**
 * Runs in the page before its scripts: the webview API shim and the theme. Kept as source text (a
 * function would be serialized with the test runner's transpiler helpers in it).
 */
function shimScript(args: { state: unknown; vars: Record<string, string>; bodyClass: string }): string {
  return `(() => {
  const args = ${JSON.stringify(args)};
  window.__posted = [];
  window.__state = args.state;
  window.__cspViolations = [];
  window.__acquireCount = 0;
  window.__revive = (json) => JSON.parse(json, (key, value) => value !== null && typeof value === 'object' && typeof value.__typed === 'string'
    ? new globalThis[value.__typed](value.values.map((x) => (x === null ? NaN : x)))
    : value);
  const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  window.acquireVsCodeApi = () => {
    window.__acquireCount++;
    if (window.__acquireCount > 1) throw new Error('acquireVsCodeApi may be called only once');
    return {
      postMessage: (message) => { window.__posted.push(copy(message)); },
      getState: () => copy(window.__state) ?? undefined,
      setState: (state) => { window.__state = copy(state); },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  let varsSet = false;
  const applyBody = () => {
    if (!varsSet && document.documentElement) {
      for (const [name, value] of Object.entries(args.vars)) document.documentElement.style.setProperty(name, value);
      varsSet = true;
    }
    if (!document.body) return false;
    document.body.classList.add(args.bodyClass);
    document.body.setAttribute('data-vscode-theme-kind', args.bodyClass);
    return true;
  };
  if (!applyBody()) {
    const observer = new MutationObserver(() => { if (applyBody()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
})();`;
}

/**
 * A host message as JSON text that the page turns back into the message (typed arrays included):
 * Playwright moves a string into the page far faster than a large object.
 */
export function messageJson(message: TraceViewHostMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView)
      ? { __typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>, (x) => (Number.isNaN(x) ? null : x)) }
      : value);
}

/** The message the extension sends to show a whole trace: its tokens in columns. */
export function loadMessage(trace: TraceDocument, options: { live?: boolean; analysis?: TraceAnalysis; label?: string; uri?: string; objects?: boolean } = {}): TraceViewHostMessage {
  const source = { label: options.label ?? trace.id, ...(options.uri ? { uri: options.uri } : {}) };
  const live = options.live ?? false;
  const analysis = options.analysis ? { analysis: options.analysis } : {};
  return options.objects
    ? { type: 'load', trace, source, live, ...analysis }
    : { type: 'loadColumns', trace: { ...trace, tokens: [] }, columns: encodeTokenColumns(trace.tokens), source, live, ...analysis };
}

/** One stepper page and what the tests do with it. */
export class StepperPage {
  readonly dialogs: string[] = [];
  readonly errors: string[] = [];

  constructor(readonly context: BrowserContext, readonly page: Page) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
  }

  /** Posts a host message to the view, as VS Code delivers it, and waits until it was handled. */
  async send(message: TraceViewHostMessage): Promise<void> {
    await this.page.evaluate((json) => window.postMessage(window.__revive(json), '*'), messageJson(message));
    await this.settle();
  }

  /** Waits until pending messages are handled and a frame was drawn. */
  async settle(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((resolve) => setTimeout(() => requestAnimationFrame(() => setTimeout(resolve, 0)), 0)));
  }

  /**
   * Loads a trace the way the extension does (tokens in columns; `objects` sends the plain `load`
   * message instead) and waits until its text is on the page.
   */
  async load(trace: TraceDocument, options: { live?: boolean; analysis?: TraceAnalysis; label?: string; uri?: string; objects?: boolean } = {}): Promise<void> {
    await this.send(loadMessage(trace, options));
    await this.page.waitForFunction((id) => {
      const label = document.querySelector('.ts-label');
      return label !== null && document.querySelector('.ts-placeholder') === null && label.textContent === id;
    }, options.label ?? trace.id);
  }

  /** Gives the text view the keyboard focus (as a click into the editor would). */
  async text(): Promise<void> {
    await this.page.focus('.ts-text');
  }

  /** Presses a key with the text view focused. */
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
  }

  /** The position line, e.g. "token 12 / 451 · step 2 / 20 · thinking". */
  async position(): Promise<string> {
    return (await this.page.textContent('.ts-position-text')) ?? '';
  }

  /** The selected token's index (from 0), from the position line. */
  async token(): Promise<number> {
    const match = /token ([\d,]+) \//.exec(await this.position());
    if (!match) throw new Error(`no token in the position line "${await this.position()}"`);
    return Number(match[1].replace(/,/g, '')) - 1;
  }

  /** The detail pane's text. */
  async detail(): Promise<string> {
    return (await this.page.textContent('.ts-detail')) ?? '';
  }

  /** Messages the view posted to the host. */
  async posted(): Promise<{ type: string; [key: string]: unknown }[]> {
    return this.page.evaluate(() => window.__posted as { type: string }[]);
  }

  /** The state the view saved last. */
  async savedState(): Promise<unknown> {
    return this.page.evaluate(() => window.__state);
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__cspViolations);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
