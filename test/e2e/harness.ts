/**
 * End-to-end harness: a real VS Code (code-server, installed by scripts/install-e2e.sh) with this
 * extension installed, driven by Debian's Chromium through playwright-core.
 *
 * Every session gets its own folder `.e2e/<run-id>/` (user data, extensions, browser profile,
 * TMPDIR, logs) and its own port, so sessions never share state. `close()` stops the browser and
 * the whole code-server process group, then checks that no process of the session is left.
 *
 * ```ts
 * await withVsCode({ workspace }, async (vscode) => {
 *   await vscode.runCommand('ThinkScope: Generate Trace');
 *   await vscode.answerInputBox('What is 2 + 2?');
 *   await vscode.webviewFrame().locator('#trace').waitFor();
 * });
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

/** Repository root (the extension's package.json lives here). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** code-server's entry point, installed by scripts/install-e2e.sh. */
export const CODE_SERVER_ENTRY = join(REPO_ROOT, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** The Chromium binary driven by playwright-core (Debian's package; override with THINKSCOPE_CHROMIUM). */
export const CHROMIUM_PATH = process.env.THINKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** Where `screenshot()` writes its PNG files. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e');
/** Parent of every session's run folder. */
export const E2E_DIR = join(REPO_ROOT, '.e2e');

/** Default time for one UI wait. The machine is slow (2 cores), so waits are generous. */
export const UI_TIMEOUT_MS = 60_000;
/** Default time for code-server to answer /healthz and the workbench to appear. */
export const START_TIMEOUT_MS = 180_000;

/** Chromium flags that work headless on these machines (no sandbox, GPU or network side-traffic). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * User settings every session starts from: no start page, no telemetry, no update checks, no
 * extension recommendations or git scanning. `VsCodeOptions.settings` override them.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
};

/** Numbers the run folders a test process makes. */
let runCounter = 0;

/** What `startVsCode` needs. */
export interface VsCodeOptions {
  /** Folder opened as the workspace (absolute, or relative to the repository root). */
  workspace: string;
  /** User settings (settings.json) for this session, merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Extension folder to install; default: the repository root (needs `out/extension.cjs`). */
  extensionPath?: string;
  /** Short name for the run folder and failure screenshots; default "vscode". */
  name?: string;
  /** Time allowed for code-server and the workbench to come up; default START_TIMEOUT_MS. */
  startTimeoutMs?: number;
}

/** A running VS Code with the extension installed, open on the workspace in a browser page. */
export interface VsCodeSession {
  /** The workbench page. */
  readonly page: Page;
  /** The browser context (a persistent profile under the run folder). */
  readonly context: BrowserContext;
  /** Workbench URL, e.g. http://127.0.0.1:40123/?folder=/abs/workspace. */
  readonly url: string;
  /** Port code-server listens on (127.0.0.1). */
  readonly port: number;
  /** Absolute workspace folder. */
  readonly workspace: string;
  /** This session's run folder, `.e2e/<run-id>/`. */
  readonly runDir: string;
  /** VS Code's user data dir (settings in User/settings.json, logs in logs/). */
  readonly userDataDir: string;
  /** code-server's own stdout and stderr. */
  readonly codeServerLogPath: string;
  /** Runs a command from the palette by its full title ("ThinkScope: Generate Trace"). */
  runCommand(title: string): Promise<void>;
  /** Checks that the command palette offers `title`, without running it; throws listing what it offers. */
  findCommand(title: string): Promise<void>;
  /** Types `text` into the open input box (showInputBox) and confirms with Enter. */
  answerInputBox(text: string, options?: { prompt?: string | RegExp }): Promise<void>;
  /** Picks the item whose label is exactly `label` in the open quick pick (showQuickPick). */
  pickQuickItem(label: string | RegExp): Promise<void>;
  /** The content frame of the visible webview (the last one when several are visible). */
  webviewFrame(): FrameLocator;
  /** The status bar item that shows `text`. */
  statusBarItem(text: string | RegExp): Locator;
  /** The notification toast that shows `text`. */
  notification(text: string | RegExp): Locator;
  /** Saves a PNG of the page as test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Opens a workspace file (path relative to the workspace) in an editor through Quick Open. */
  openFile(relativePath: string): Promise<void>;
  /**
   * Opens "Developer: Show Running Extensions" and returns the row of the extension whose display
   * name is `displayName` (it has a row only once activated; the row shows its activation time).
   */
  runningExtensionRow(displayName: string): Promise<Locator>;
  /**
   * Waits until the extension `displayName` (id `extensionId`, e.g. "thinkscope.thinkscope") has
   * activated: the running extensions list shows its activation time. Throws at once, with the
   * logged error, when its activation failed. Returns its row in the running extensions list.
   */
  waitForActivation(displayName: string, extensionId: string, timeoutMs?: number): Promise<Locator>;
  /** The extension host log files written so far (empty until the host has started). */
  extensionHostLogPaths(): string[];
  /** The text of every extension host log file written so far. */
  extensionHostLog(): string;
  /** Saves a screenshot named `<name>-failure` and returns a description of where to look. */
  captureFailure(name: string): Promise<string>;
  /** Closes the browser, stops code-server's process group and checks nothing is left running. */
  close(): Promise<void>;
  /**
   * What `close()` had to force: a browser that did not close, a process group that ignored
   * SIGTERM, processes of the session left running (ended by id). Empty after a clean close.
   */
  readonly closeProblems: readonly string[];
}

/**
 * Starts code-server with the extension installed and opens the workspace in headless Chromium.
 * Throws, after saving a screenshot and stopping everything it started, when VS Code does not
 * come up in time.
 */
export async function startVsCode(options: VsCodeOptions): Promise<VsCodeSession> {
  const extensionPath = resolve(REPO_ROOT, options.extensionPath ?? '.');
  const workspace = resolve(REPO_ROOT, options.workspace);
  const name = safeName(options.name ?? 'vscode');
  const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  checkPrerequisites(extensionPath, workspace);

  const runDir = join(E2E_DIR, `${name}-${timestamp()}-${process.pid}-${++runCounter}`);
  const dirs = {
    user: join(runDir, 'user'),
    extensions: join(runDir, 'extensions'),
    browser: join(runDir, 'browser'),
    tmp: join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  writeUserSettings(dirs.user, { ...DEFAULT_SETTINGS, ...options.settings });
  installExtension(extensionPath, dirs.extensions);

  const port = await freePort();
  const codeServerLogPath = join(runDir, 'code-server.log');
  const server = spawnCodeServer({ port, workspace, logPath: codeServerLogPath, ...dirs });
  const session = new Session({ server, port, workspace, runDir, userDataDir: dirs.user, codeServerLogPath, name });
  try {
    await waitForHealth(server, port, codeServerLogPath, startTimeoutMs);
    const context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1600, height: 1000 },
      env: { ...process.env, TMPDIR: dirs.tmp },
      timeout: startTimeoutMs,
    });
    session.attach(context);
    await session.openWorkbench(startTimeoutMs);
    return session;
  } catch (error) {
    const where = await session.captureFailure(`${name}-start`);
    await session.close();
    throw new Error(`VS Code did not start for workspace ${workspace}: ${errorMessage(error)}\n${where}`, { cause: error });
  }
}

/**
 * Runs `body` against a fresh session and always closes it. When `body` throws, a screenshot and
 * the log paths are saved and added to the error.
 */
export async function withVsCode<T>(options: VsCodeOptions, body: (session: VsCodeSession) => Promise<T>): Promise<T> {
  const session = await startVsCode(options);
  try {
    return await body(session);
  } catch (error) {
    const where = await session.captureFailure(safeName(options.name ?? 'vscode'));
    throw new Error(`${errorMessage(error)}\n${where}`, { cause: error });
  } finally {
    await session.close();
  }
}

/**
 * Processes still alive that belong to a run folder: their command line or environment names it
 * (every process of a session gets TMPDIR inside its run folder). Empty after a clean `close()`.
 */
export function processesOf(runDir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (command.includes(runDir) || environ.includes(runDir)) found.push({ pid, command });
    } catch {
      // The process ended while it was being read, or is not ours to read.
    }
  }
  return found;
}

/**
 * Copies a folder (absolute, or relative to the repository root) to a fresh workspace under
 * `.e2e/workspaces/`, so that a test never changes the original. Returns the copy's path.
 */
export function copyWorkspace(source: string, name = 'workspace'): string {
  const from = resolve(REPO_ROOT, source);
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new Error(`Cannot copy workspace: ${from} is not a folder`);
  const to = join(E2E_DIR, 'workspaces', `${safeName(name)}-${timestamp()}-${process.pid}-${++runCounter}`);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  return to;
}

// ---------------------------------------------------------------------------------------------

interface SessionInit {
  server: ChildProcess;
  port: number;
  workspace: string;
  runDir: string;
  userDataDir: string;
  codeServerLogPath: string;
  name: string;
}

/** The session behind `VsCodeSession`: owns the code-server process and the browser context. */
class Session implements VsCodeSession {
  readonly port: number;
  readonly workspace: string;
  readonly runDir: string;
  readonly userDataDir: string;
  readonly codeServerLogPath: string;
  readonly url: string;
  private readonly server: ChildProcess;
  private readonly name: string;
  private browserContext: BrowserContext | undefined;
  private workbenchPage: Page | undefined;
  private closed = false;
  private readonly problemsOnClose: string[] = [];

  constructor(init: SessionInit) {
    this.server = init.server;
    this.port = init.port;
    this.workspace = init.workspace;
    this.runDir = init.runDir;
    this.userDataDir = init.userDataDir;
    this.codeServerLogPath = init.codeServerLogPath;
    this.name = init.name;
    this.url = `http://127.0.0.1:${init.port}/?folder=${encodeURIComponent(init.workspace)}`;
  }

  get closeProblems(): readonly string[] {
    return this.problemsOnClose;
  }

  get context(): BrowserContext {
    if (!this.browserContext) throw new Error(`The browser of ${this.runDir} is not started`);
    return this.browserContext;
  }

  get page(): Page {
    if (!this.workbenchPage) throw new Error(`The workbench page of ${this.runDir} is not open`);
    return this.workbenchPage;
  }

  attach(context: BrowserContext): void {
    this.browserContext = context;
  }

  /** Loads the workbench and waits until it is laid out. */
  async openWorkbench(timeoutMs: number): Promise<void> {
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    this.workbenchPage = page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(this.url, { timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput();
    const query = `>${title}`;
    await input.fill(query);
    const row = this.quickInputRow(exactly(title));
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      const shown = await this.quickInputLabels();
      throw new Error(`Command "${title}" is not in the command palette; it shows: ${shown.join(' | ') || '(nothing)'}`, { cause: error });
    }
    await row.click();
    await this.waitForQuickInputToLeave(query);
  }

  async findCommand(title: string): Promise<void> {
    const input = await this.openQuickInput();
    await input.fill(`>${title}`);
    const row = this.quickInputRow(exactly(title));
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      const shown = await this.quickInputLabels();
      throw new Error(`Command "${title}" is not in the command palette; it shows: ${shown.join(' | ') || '(nothing)'}`, { cause: error });
    } finally {
      await input.press('Escape');
    }
    await input.waitFor({ state: 'hidden' });
  }

  async answerInputBox(text: string, options: { prompt?: string | RegExp } = {}): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible' });
    if (options.prompt !== undefined) {
      await widget.locator('.quick-input-message, .quick-input-header').filter({ hasText: options.prompt }).first().waitFor({ state: 'visible' });
    }
    const input = widget.locator('.quick-input-box input');
    await input.fill(text);
    await input.press('Enter');
    await this.waitForQuickInputToLeave(text);
  }

  async pickQuickItem(label: string | RegExp): Promise<void> {
    await this.page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    const row = this.quickInputRow(typeof label === 'string' ? exactly(label) : label);
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      const shown = await this.quickInputLabels();
      throw new Error(`No item ${String(label)} in the quick pick; it shows: ${shown.join(' | ') || '(nothing)'}`, { cause: error });
    }
    await row.click();
  }

  webviewFrame(): FrameLocator {
    return this.page
      .locator('iframe.webview.ready')
      .filter({ visible: true })
      .last()
      .contentFrame()
      .locator('iframe#active-frame')
      .contentFrame();
  }

  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: text }).first();
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast').filter({ hasText: text }).first();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${safeName(name)}.png`);
    await this.page.screenshot({ path, timeout: UI_TIMEOUT_MS });
    return path;
  }

  async openFile(relativePath: string): Promise<void> {
    const absolute = resolve(this.workspace, relativePath);
    if (!existsSync(absolute)) throw new Error(`Cannot open ${relativePath}: no such file in workspace ${this.workspace}`);
    const input = await this.openQuickInput();
    // Without the '>' prefix the palette is Quick Open, which searches the workspace's files.
    await input.fill(relative(this.workspace, absolute));
    const fileName = basename(absolute);
    const folder = dirname(relative(this.workspace, absolute));
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(fileName) }) })
      .filter({ hasText: folder === '.' ? fileName : folder })
      .first();
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      const shown = await this.quickInputLabels();
      throw new Error(`Quick Open did not offer ${relativePath}; it shows: ${shown.join(' | ') || '(nothing)'}`, { cause: error });
    }
    await row.click();
    await this.page
      .locator('.tabs-container .tab.active')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(fileName) }) })
      .waitFor({ state: 'visible' });
  }

  async runningExtensionRow(displayName: string): Promise<Locator> {
    await this.runCommand('Developer: Show Running Extensions');
    const editor = this.page.locator('.runtime-extensions-editor');
    await editor.locator('.monaco-list-row').first().waitFor({ state: 'visible' });
    const row = editor
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.name', { hasText: exactly(displayName) }) })
      .first();
    try {
      await row.waitFor({ state: 'visible' });
    } catch (error) {
      const running = await editor.locator('.monaco-list-row .name').allTextContents();
      throw new Error(`${displayName} is not among the running extensions: ${running.join(', ') || '(none)'}`, { cause: error });
    }
    return row;
  }

  async waitForActivation(displayName: string, extensionId: string, timeoutMs = UI_TIMEOUT_MS): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    const row = await this.runningExtensionRow(displayName);
    const activationTime = row.locator('.activation-time');
    const failed = `Activating extension ${extensionId} failed`;
    for (;;) {
      const log = this.extensionHostLog();
      const at = log.indexOf(failed);
      if (at >= 0) {
        const lines = log.slice(at).split('\n').slice(0, 6).join('\n');
        throw new Error(`${displayName} failed to activate; the extension host log says:\n${lines}`);
      }
      if (/Activation: \d+ms/.test((await activationTime.textContent()) ?? '')) return row;
      if (Date.now() > deadline) {
        const shown = ((await activationTime.textContent()) ?? '').trim() || '(nothing)';
        throw new Error(`${displayName} did not finish activating within ${timeoutMs / 1000} s; the running extensions list shows "${shown}"`);
      }
      await delay(250);
    }
  }

  extensionHostLog(): string {
    return this.extensionHostLogPaths()
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
  }

  extensionHostLogPaths(): string[] {
    const logs = join(this.userDataDir, 'logs');
    return existsSync(logs) ? findFiles(logs, (file) => /exthost\d*\.log$/.test(basename(file))) : [];
  }

  async captureFailure(name: string): Promise<string> {
    const lines: string[] = [];
    if (this.workbenchPage && !this.workbenchPage.isClosed()) {
      try {
        lines.push(`screenshot: ${await this.screenshot(`${name}-failure`)}`);
      } catch (error) {
        lines.push(`screenshot failed: ${errorMessage(error)}`);
      }
    }
    const hostLogs = this.extensionHostLogPaths();
    lines.push(`extension host log: ${hostLogs.length > 0 ? hostLogs.join(', ') : `(none yet under ${join(this.userDataDir, 'logs')})`}`);
    lines.push(`code-server log: ${this.codeServerLogPath}`);
    const text = lines.join('\n');
    console.error(`[e2e] ${this.name} failed; ${text.replaceAll('\n', '; ')}`);
    return text;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const problems = this.problemsOnClose;
    if (this.browserContext) {
      const closedInTime = await settlesWithin(this.browserContext.close(), 30_000);
      if (!closedInTime) problems.push('the browser did not close within 30 s');
    }
    if (!(await stopProcessGroup(this.server, 20_000, problems))) problems.push(`code-server (process group ${this.server.pid}) did not stop`);
    // Anything of this session still alive (a browser that ignored close, an orphaned extension
    // host) is ended by its id.
    for (const leftover of processesOf(this.runDir)) {
      problems.push(`left running: pid ${leftover.pid} ${leftover.command.slice(0, 120)}`);
      killQuietly(leftover.pid, 'SIGKILL');
    }
    // The browser profile and temporary files are large and of no use afterwards; logs stay.
    rmSync(join(this.runDir, 'browser'), { recursive: true, force: true });
    rmSync(join(this.runDir, 'tmp'), { recursive: true, force: true });
    if (problems.length > 0) console.error(`[e2e] closing ${this.runDir}: ${problems.join('; ')}`);
  }

  /** Opens the command palette (F1) and returns its input box. */
  private async openQuickInput(): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (await input.isVisible()) {
      await input.press('Escape');
      await input.waitFor({ state: 'hidden' });
    }
    await this.page.locator('.monaco-workbench').press('F1');
    await input.waitFor({ state: 'visible' });
    return input;
  }

  private quickInputRow(label: RegExp): Locator {
    return this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
  }

  private async quickInputLabels(): Promise<string[]> {
    return (await this.page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents()).map((s) => s.trim());
  }

  /** Waits until the quick input is gone or shows something other than `value` (a next step). */
  private async waitForQuickInputToLeave(value: string): Promise<void> {
    await this.page.waitForFunction(
      (typed) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return true;
        const input = widget.querySelector<HTMLInputElement>('.quick-input-box input');
        return !input || input.value !== typed;
      },
      value,
      { timeout: UI_TIMEOUT_MS },
    );
  }
}

function checkPrerequisites(extensionPath: string, workspace: string): void {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${relative(REPO_ROOT, CODE_SERVER_ENTRY)} is missing): run bash scripts/install-e2e.sh`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run bash scripts/install-e2e.sh`);
  const manifest = readManifest(extensionPath);
  const main = manifest.main ? resolve(extensionPath, manifest.main) : undefined;
  if (main && !existsSync(main)) {
    throw new Error(`The extension is not built: ${main} is missing (run node scripts/build.mjs)`);
  }
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) throw new Error(`Workspace folder ${workspace} does not exist`);
}

interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
  main?: string;
}

function readManifest(extensionPath: string): ExtensionManifest {
  const file = join(extensionPath, 'package.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the extension manifest ${file}: ${errorMessage(error)}`, { cause: error });
  }
  const m = parsed as Partial<Record<keyof ExtensionManifest, unknown>>;
  if (typeof m.publisher !== 'string' || typeof m.name !== 'string' || typeof m.version !== 'string') {
    throw new Error(`${file} needs string fields publisher, name and version`);
  }
  return { publisher: m.publisher, name: m.name, version: m.version, main: typeof m.main === 'string' ? m.main : undefined };
}

/** Installs the extension by linking its folder into the extensions dir as <publisher>.<name>-<version>. */
function installExtension(extensionPath: string, extensionsDir: string): void {
  const m = readManifest(extensionPath);
  symlinkSync(extensionPath, join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`), 'dir');
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

interface SpawnInit {
  port: number;
  workspace: string;
  logPath: string;
  user: string;
  extensions: string;
  tmp: string;
}

/** Starts code-server in a process group of its own (so that close() can stop all of it). */
function spawnCodeServer(init: SpawnInit): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: init.tmp };
  // The test runner's settings are for this process, not for VS Code's Node processes.
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const log = openSync(init.logPath, 'a');
  try {
    const args = [
      CODE_SERVER_ENTRY,
      '--config', '/dev/null',
      '--bind-addr', `127.0.0.1:${init.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir', init.extensions,
      '--user-data-dir', init.user,
      init.workspace,
    ];
    return spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env, cwd: init.workspace });
  } finally {
    closeSync(log);
  }
}

/** Polls code-server's /healthz until it answers; fails early when the process exits. */
async function waitForHealth(server: ChildProcess, port: number, logPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://127.0.0.1:${port}/healthz`;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}) before answering ${url}:\n${tail(logPath, 20)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s:\n${tail(logPath, 20)}`);
}

/** Stops a detached child's whole process group: SIGTERM, then SIGKILL. True when it is gone. */
async function stopProcessGroup(child: ChildProcess, timeoutMs: number, problems: string[]): Promise<boolean> {
  const pgid = child.pid;
  if (pgid === undefined) return true;
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));
  killQuietly(-pgid, 'SIGTERM');
  if (!(await settlesWithin(exited, timeoutMs / 2))) {
    problems.push(`code-server (pid ${pgid}) ignored SIGTERM for ${timeoutMs / 2000} s`);
    killQuietly(-pgid, 'SIGKILL');
  }
  // Members of the group may outlive its leader for a moment.
  const deadline = Date.now() + timeoutMs / 2;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      killQuietly(-pgid, 'SIGKILL');
      await delay(500);
      return !groupAlive(pgid);
    }
    await delay(100);
  }
  return true;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** True when `promise` settles (either way) within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  const timer = delay(ms, false, { ref: false });
  return Promise.race([settled, timer]);
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? done(port) : fail(new Error('Could not find a free port on 127.0.0.1'))));
    });
  });
}

function findFiles(dir: string, accept: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, accept));
    else if (accept(path)) found.push(path);
  }
  return found.sort();
}

function tail(path: string, lines: number): string {
  if (!isAbsolute(path) || !existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** A regular expression matching exactly `text`. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'vscode';
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
