// Bundles the three parts with esbuild. `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const out = join(root, 'out');
// `--only=webview,server,extension` builds just those parts.
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : null;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};

// ESM output that bundles CommonJS packages needs a real `require` for Node built-ins.
const esmRequireBanner =
  "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);";

/** Webview apps: every folder under webview/apps with a main.ts becomes out/webview/<name>.js. */
function webviewEntries() {
  const apps = join(root, 'webview', 'apps');
  if (!existsSync(apps)) return {};
  const entries = {};
  for (const name of readdirSync(apps)) {
    const main = join(apps, name, 'main.ts');
    if (existsSync(main)) entries[name] = main;
  }
  return entries;
}

const builds = [
  {
    part: 'extension',
    ...common,
    entryPoints: { extension: 'extension/main.ts' },
    outdir: out,
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    part: 'server',
    ...common,
    entryPoints: {
      server: 'server/main.ts',
      cli: 'server/cli/main.ts',
      // Parquet is decoded in a worker so a corrupt file that hangs the decoder can be cut off.
      parquetWorker: 'server/dataset/import/parquetWorker.ts',
    },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['node-llama-cpp'],
    banner: { js: esmRequireBanner },
  },
  {
    part: 'webview',
    ...common,
    entryPoints: webviewEntries(),
    outdir: join(out, 'webview'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css', '.ttf': 'file' },
  },
];

function copyAssets() {
  const codicons = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  const dest = join(out, 'webview', 'codicons');
  mkdirSync(dest, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(dest, f));
}

const selected = builds
  .filter((b) => !only || only.includes(b.part))
  .filter((b) => Object.keys(b.entryPoints).length > 0)
  .map(({ part: _part, ...options }) => options);

if (watch) {
  for (const b of selected) (await esbuild.context(b)).watch();
  copyAssets();
  console.log('watching…');
} else {
  await Promise.all(selected.map((b) => esbuild.build(b)));
  copyAssets();
}
