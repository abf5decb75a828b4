#!/usr/bin/env node
// The `thinkscope` command: the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('thinkscope: the CLI is not built yet; run `npm run build` in the ThinkScope folder first.\n');
  process.exit(1);
}
await import(cli);
