// `npm start`: the demo. Builds the extension, installs code-server if needed, and serves VS Code
// with ThinkScope installed on http://127.0.0.1:<port>, open on a copy of samples/ (so edits made
// in the demo never touch the samples). Ctrl-C stops everything it started.
//
//   npm start [-- --port 8081] [-- --no-open] [-- --reset]
//     --port N    port to listen on (default: $PORT, else 8080)
//     --no-open   only print the URL, never try to open a browser
//     --reset     start over from a fresh copy of samples/ (discards edits made in the demo)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const codeServer = join(root, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const demoDir = join(root, '.e2e', 'demo');
const workspace = join(root, '.e2e', 'demo-workspace');
const samples = join(root, 'samples');
const logPath = join(demoDir, 'code-server.log');

/** Demo user settings, written once (later changes made in the demo are kept). */
const demoSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // The demo workspace lies inside this repository: don't offer to open the repository.
  'git.openRepositoryInParentFolders': 'never',
};

function fail(message) {
  console.error(`[start] ERROR: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { port: process.env.PORT ?? '8080', open: true, reset: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-open') options.open = false;
    else if (arg === '--reset') options.reset = true;
    else if (arg === '--port') options.port = argv[++i] ?? fail('--port needs a number');
    else if (arg.startsWith('--port=')) options.port = arg.slice('--port='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm start [-- --port N] [-- --no-open] [-- --reset]');
      process.exit(0);
    } else fail(`unknown option ${arg} (try --help)`);
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port must be a number from 1 to 65535, got "${options.port}"`);
  return { ...options, port };
}

function step(what, command, args) {
  console.log(`[start] ${what}`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) fail(`${what} failed (${command} ${args.join(' ')} exited ${status})`);
}

/** Copies samples/ into the demo workspace; files already there (the user's edits) are kept. */
function prepareWorkspace(reset) {
  if (reset) rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  if (existsSync(samples)) cpSync(samples, workspace, { recursive: true, force: false, errorOnExist: false });
  console.log(`[start] demo workspace: ${workspace} (a copy of samples/)`);
}

/** Links this repository into the demo's extensions folder as <publisher>.<name>-<version>. */
function installExtension(extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (!existsSync(join(root, manifest.main))) fail(`the extension bundle ${manifest.main} is missing after the build`);
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(extensionsDir, { recursive: true });
  symlinkSync(root, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
}

function writeSettingsOnce(userDir) {
  const file = join(userDir, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(join(userDir, 'User'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(demoSettings, null, 2)}\n`);
}

function portIsFree(port) {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

function tail(path, lines) {
  return existsSync(path) ? readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

async function waitForHealth(child, port) {
  const url = `http://127.0.0.1:${port}/healthz`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered ${url}; its log (${logPath}) ends with:\n${tail(logPath, 20)}`);
    }
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  fail(`code-server did not answer ${url} within 180 s; see ${logPath}`);
}

/** Opens the URL in the desktop's browser when there is a desktop. */
function openBrowser(url) {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const hasDisplay = process.platform === 'darwin' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay || spawnSync('sh', ['-c', `command -v ${opener}`]).status !== 0) {
    console.log('[start] no display here: open the URL above in a browser');
    return;
  }
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log('[start] could not open a browser: open the URL above yourself'));
  child.unref();
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!(await portIsFree(options.port))) fail(`port ${options.port} on 127.0.0.1 is in use: pick another with --port N or PORT=N`);

  step('building (node scripts/build.mjs)', process.execPath, ['scripts/build.mjs']);
  if (!existsSync(join(root, '.tools', 'e2e-ready'))) step('installing code-server (scripts/install-e2e.sh)', 'bash', ['scripts/install-e2e.sh']);
  if (!existsSync(codeServer)) fail(`code-server is missing at ${codeServer}: delete .tools and run bash scripts/install-e2e.sh`);

  prepareWorkspace(options.reset);
  const dirs = { user: join(demoDir, 'user'), extensions: join(demoDir, 'extensions'), tmp: join(demoDir, 'tmp') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  installExtension(dirs.extensions);
  writeSettingsOnce(dirs.user);

  const log = openSync(logPath, 'a');
  // Its own process group (detached), so that stopping the demo stops every process of it.
  const child = spawn(
    process.execPath,
    [
      codeServer,
      '--config', '/dev/null',
      '--bind-addr', `127.0.0.1:${options.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir', dirs.extensions,
      '--user-data-dir', dirs.user,
      workspace,
    ],
    { cwd: workspace, detached: true, stdio: ['ignore', log, log], env: { ...process.env, TMPDIR: dirs.tmp } },
  );
  closeSync(log);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${signal}: stopping code-server…`);
    const exited = new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', done)));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timer = delay(10_000, 'timeout');
    if ((await Promise.race([exited, timer])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    console.log('[start] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  await waitForHealth(child, options.port);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] code-server stopped by itself (${code ?? signal}); its log (${logPath}) ends with:\n${tail(logPath, 20)}`);
    process.exit(1);
  });

  const url = `http://127.0.0.1:${options.port}/?folder=${encodeURIComponent(workspace)}`;
  const rule = '─'.repeat(Math.min(100, url.length + 4));
  console.log(`\n${rule}\n  ThinkScope demo: VS Code with the extension, open on a copy of samples/\n\n  ${url}\n\n` +
    `  Listening on 127.0.0.1 only. From another machine: ssh -L ${options.port}:127.0.0.1:${options.port} <this host>\n` +
    `  Log: ${logPath}\n  Ctrl-C to stop.\n${rule}\n`);
  if (options.open) openBrowser(url);
}

await main();
