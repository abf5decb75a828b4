// Runs the test suites with Node's test runner (TypeScript through tsx), in one invocation so
// that one summary closes the run.
//   node scripts/test.mjs            every suite: unit, integration, protocol, webview, e2e
//   node scripts/test.mjs unit       everything except test/e2e
//   node scripts/test.mjs e2e        only test/e2e
//   node scripts/test.mjs FILE…      the given files
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function find(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...find(p));
    else if (name.endsWith('.test.ts')) found.push(p);
  }
  return found;
}

const all = find(join(root, 'test')).map((p) => relative(root, p)).sort();
const isE2e = (p) => p.startsWith(join('test', 'e2e'));
let files;
if (args.length === 0) files = all;
else if (args[0] === 'unit') files = all.filter((p) => !isE2e(p));
else if (args[0] === 'e2e') files = all.filter(isE2e);
else files = args;

const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' }).status ?? 1;

// Tests use the real bundles (webview, server process, extension): build first.
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
if (files.some(isE2e) && !existsSync(join(root, '.tools', 'e2e-ready'))) {
  if (run('bash', ['scripts/install-e2e.sh']) !== 0) process.exit(1);
}

const status = run(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...files,
]);
process.exit(status);
