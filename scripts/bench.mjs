// `npm run bench`: builds, then runs every bench/*.bench.ts (or those named on the command line)
// one after another and prints their figures. Benchmarks measure side by side in one run and
// print ratios; they are not tests and never fail on a slow machine.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv.slice(2);
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((n) => f.includes(n)))
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n## ${file}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`(${file} exited with ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
