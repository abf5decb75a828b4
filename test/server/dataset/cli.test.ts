/** The dataset subcommands of the CLI (server/cli/commands/dataset.ts), run in-process. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDatasetCommands } from '../../../server/cli/commands/dataset';
import { AnnotationStore, annotationsPath } from '../../../server/dataset/annotations/store';
import { importDataset } from '../../../server/dataset/import/index';
import { s1k11Row, s1kRow, tempDir, writeJsonl } from './fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-cli-')));
after(() => cleanup());

function cli(): { commands: ReturnType<typeof makeDatasetCommands>; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { commands: makeDatasetCommands({ out: (t) => out.push(t), err: (t) => err.push(t) }), out, err };
}

describe('thinkscope import', () => {
  test('reports what it imported and the bad lines; --out writes s1K format', async () => {
    const path = join(dir, 'in.jsonl');
    await writeFile(path, [JSON.stringify(s1kRow(1)), '{broken', JSON.stringify(s1k11Row(2))].join('\n'));
    const { commands, out, err } = cli();
    const outPath = join(dir, 'out.parquet');
    assert.equal(await commands.import!([path, '--out', outPath]), 0);
    assert.match(out[0]!, /^Imported 2 of 3 rows from .*in\.jsonl \(jsonl: 1 s1k, 1 s1k-1\.1\)\.$/);
    assert.match(err.join('\n'), /1 row could not be imported:\n {2}.*in\.jsonl: line 2, column 2: invalid JSON/);
    assert.match(out[1]!, /^Wrote 2 records to .*out\.parquet \(parquet\)\.$/);
    assert.equal((await importDataset(outPath)).records.length, 2);
  });

  test('--strict fails on any bad row; nothing importable fails; usage errors exit 2', async () => {
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, `${JSON.stringify(s1kRow(1))}\nnope\n`);
    assert.equal(await cli().commands.import!([path, '--strict']), 1);
    const none = join(dir, 'none.jsonl');
    await writeFile(none, 'nope\n');
    assert.equal(await cli().commands.import!([none]), 1);
    const usage = cli();
    assert.equal(await usage.commands.import!([path, '--format', 'csv']), 2);
    assert.match(usage.err.join('\n'), /--format must be one of auto, s1k, s1k-1\.1, r1-think, r1-chat, trace\nusage: thinkscope import/);
    assert.equal(await cli().commands.import!(['--bogus']), 2);
    const missing = cli();
    assert.equal(await missing.commands.import!([join(dir, 'missing.jsonl')]), 1);
    assert.match(missing.err[0]!, /^thinkscope import: cannot read .*missing\.jsonl: ENOENT$/);
  });
});

describe('thinkscope export, select, agreement', () => {
  test('exports accepted records with annotations from the workspace, and computes agreement', async () => {
    const ws = join(dir, 'ws');
    await mkdir(ws);
    const data = join(ws, 'data.jsonl');
    await writeJsonl(data, [s1kRow(1), s1kRow(2), s1kRow(3)]);
    const ids = (await importDataset(data)).records.map((r) => r.id);
    const store = await AnnotationStore.open(annotationsPath(ws));
    const at = '2025-01-01T00:00:00.000Z';
    await store.put({ traceId: ids[0]!, annotator: 'a', at, labels: { quality: 'accept' }, steps: [] });
    await store.put({ traceId: ids[0]!, annotator: 'b', at, labels: { quality: 'accept' }, steps: [] });
    await store.put({ traceId: ids[1]!, annotator: 'a', at, labels: { quality: 'accept' }, steps: [] });
    await store.put({ traceId: ids[1]!, annotator: 'b', at, labels: { quality: 'reject' }, steps: [] });

    const exp = cli();
    const out = join(ws, 'train.jsonl');
    assert.equal(await exp.commands.export!([data, '--out', out, '--workspace', ws, '--text']), 0, exp.err.join('\n'));
    assert.match(exp.out.at(-1)!, /^Wrote 1 records to .*train\.jsonl \(jsonl\); left out 1 rejected and 1 with too few accepts\.$/);
    const row = JSON.parse((await readFile(out, 'utf8')).trim()) as Record<string, unknown>;
    assert.equal(row.thinkscope_id, ids[0]);
    assert.match(String(row.text), /<\|im_start\|>think\n/);

    const sel = cli();
    assert.equal(await sel.commands.select!([data, '--target', '5', '--workspace', ws]), 0, sel.err.join('\n'));
    assert.match(sel.out.join('\n'), /Select like s1: 1 of 3 records \(target 5, seed 0\)\./);

    const agr = cli();
    assert.equal(await agr.commands.agreement!(['--workspace', ws]), 0, agr.err.join('\n'));
    assert.match(agr.out.join('\n'), /Annotators: a, b; traces with two or more: 2\./);
    assert.match(agr.out.join('\n'), /quality\s+2\s+2/);
    const json = cli();
    assert.equal(await json.commands.agreement!(['--workspace', ws, '--json']), 0);
    assert.equal((JSON.parse(json.out[0]!) as { traces: number }).traces, 2);
  });

  test('refuses to work from a corrupt annotation file, naming the line', async () => {
    const ws = join(dir, 'ws-corrupt');
    await mkdir(join(ws, '.thinkscope'), { recursive: true });
    await writeFile(annotationsPath(ws), '{"traceId": \n');
    const { commands, err } = cli();
    assert.equal(await commands.agreement!(['--workspace', ws]), 1);
    assert.match(err.join('\n'), /the annotation file has 1 bad line\(s\); fix them first:\n {2}.*annotations\.jsonl:1: column 13: invalid JSON/);
  });

  test('export needs --out; select needs a whole-number --target', async () => {
    const data = join(dir, 'd.jsonl');
    await writeJsonl(data, [s1kRow(1)]);
    const a = cli();
    assert.equal(await a.commands.export!([data]), 2);
    assert.match(a.err[0]!, /--out <file> is required/);
    const b = cli();
    assert.equal(await b.commands.select!([data, '--target', 'ten']), 2);
    assert.match(b.err[0]!, /--target expects a whole number, got "ten"/);
  });
});
