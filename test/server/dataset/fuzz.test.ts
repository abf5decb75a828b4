/**
 * Property tests of every dataset and annotation reader against random and mutated input: they
 * never throw anything but a clear Error naming the file, never crash, and every problem they
 * report points at a line or row that exists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { validateSchema, DEFAULT_SCHEMA } from '../../../server/dataset/annotations/schema';
import { AnnotationStore } from '../../../server/dataset/annotations/store';
import { importDataset } from '../../../server/dataset/import/index';
import { jsonErrorOffset } from '../../../server/dataset/json';
import { parsePythonLiteral } from '../../../server/dataset/pythonLiteral';
import { exportDataset } from '../../../server/dataset/export/write';
import { chatRow, r1Row, s1k11Row, s1kRow, tempDir, traceDoc } from './fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-fuzz-')));
after(() => cleanup());

/** Inputs fuzzed per property; the totals are printed for the reliability report. */
const RUNS = { jsonl: 300, parquet: 300, json: 150, annotations: 300, schema: 500, literal: 2000, offset: 2000 };

const validRow = fc.oneof(
  fc.nat(50).map((i) => JSON.stringify(s1kRow(i))),
  fc.nat(50).map((i) => JSON.stringify(s1k11Row(i))),
  fc.nat(50).map((i) => JSON.stringify(r1Row(i))),
  fc.nat(50).map((i) => JSON.stringify(chatRow(i))),
  fc.nat(50).map((i) => JSON.stringify(traceDoc(`t${i}`))),
);

/** A valid row with a random edit: characters deleted, inserted or replaced. */
const mutatedRow = fc.tuple(validRow, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 4 })).map(([row, edits]) => {
  let text = row;
  for (const [at, kind, insert] of edits) {
    const i = at % (text.length + 1);
    if (kind === 0) text = text.slice(0, i) + text.slice(i + 1);
    else if (kind === 1) text = text.slice(0, i) + insert + text.slice(i);
    else text = text.slice(0, i) + insert + text.slice(i + insert.length);
  }
  return text.replace(/[\r\n]/g, ' ');
});

/** Any JSON value with some keys the importers look at. */
const keyedJson = fc.dictionary(
  fc.constantFrom('question', 'thinking_trajectories', 'attempt', 'metadata', 'deepseek_thinking_trajectory', 'prompt', 'response', 'messages', 'format', 'version', 'tokens', 'id', 'thinkscope_id', 'annotations', 'thinkscope_trace'),
  fc.jsonValue({ maxDepth: 3 }),
);

const line = fc.oneof(validRow, mutatedRow, fc.json({ maxDepth: 4 }), keyedJson.map((o) => JSON.stringify(o)), fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')), fc.constant(''));

describe('fuzz: dataset import', () => {
  test(`JSONL: ${RUNS.jsonl} random and mutated files import without throwing; every error names an existing line`, async () => {
    const path = join(dir, 'fuzz.jsonl');
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (lines) => {
        await writeFile(path, lines.join('\n'));
        const report = await importDataset(path);
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        assert.equal(report.rowsRead, nonBlank);
        assert.equal(report.records.length + report.errors.length, nonBlank);
        for (const e of [...report.errors, ...report.warnings]) {
          if (e.line !== undefined) assert.ok(e.line >= 1 && e.line <= lines.length, `line ${e.line} of ${lines.length}`);
          assert.ok(e.message.length > 0 && e.message.length < 2000);
        }
        assert.equal(new Set(report.records.map((r) => r.id)).size, report.records.length, 'ids are unique');
      }),
      { numRuns: RUNS.jsonl },
    );
  });

  test(`JSON documents: ${RUNS.json} random documents and arrays import without throwing`, async () => {
    const path = join(dir, 'fuzz.trace.json');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(keyedJson).map((a) => JSON.stringify(a, null, 1)), mutatedRow, fc.json({ maxDepth: 5 })), async (text) => {
        await writeFile(path, text);
        const report = await importDataset(path);
        assert.equal(report.records.length + report.errors.length, report.rowsRead);
      }),
      { numRuns: RUNS.json },
    );
  });

  test(`Parquet: ${RUNS.parquet} byte-mutated and truncated files fail with the file named, or import`, { timeout: 600_000 }, async () => {
    const good = join(dir, 'good.parquet');
    const { records } = await (async () => {
      const src = join(dir, 'src.jsonl');
      await writeFile(src, [s1kRow(1), s1k11Row(2), r1Row(3), traceDoc('t')].map((r) => JSON.stringify(r)).join('\n'));
      return importDataset(src);
    })();
    await exportDataset(good, records, { filter: 'all', includeTraces: true });
    const bytes = new Uint8Array(await readFile(good));
    const path = join(dir, 'fuzz.parquet');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(bytes.length), { nil: undefined }),
        async (flips, cut) => {
          const mutated = bytes.slice(0, cut ?? bytes.length);
          for (const [at, value] of flips) if (at < mutated.length) mutated[at] = value;
          await writeFile(path, mutated);
          try {
            const report = await importDataset(path, { limits: { parquetGroupTimeoutMs: 2_000 } });
            for (const e of report.errors) assert.ok(e.row !== undefined && e.row >= 1 && e.row <= 4, JSON.stringify(e));
          } catch (err) {
            assert.ok(err instanceof Error, `threw ${String(err)}`);
            assert.ok(err.message.includes(path), `the message names the file: ${err.message}`);
          }
        },
      ),
      { numRuns: RUNS.parquet },
    );
  });
});

describe('fuzz: annotation file and schema', () => {
  test(`annotation files: ${RUNS.annotations} random files open without throwing; problems name existing lines`, async () => {
    let n = 0;
    const annotationLine = fc.record({
      traceId: fc.string({ maxLength: 5 }),
      annotator: fc.string({ maxLength: 5 }),
      at: fc.oneof(fc.constant('2025-01-01T00:00:00Z'), fc.string({ maxLength: 8 })),
      labels: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string({ maxLength: 3 })), fc.jsonValue({ maxDepth: 2 }))),
      steps: fc.array(fc.record({ step: fc.integer({ min: -2, max: 9 }), labels: fc.array(fc.string({ maxLength: 3 })) }), { maxLength: 3 }),
    }).map((a) => JSON.stringify(a));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(annotationLine, line), { maxLength: 10 }), fc.boolean(), async (lines, trailingNewline) => {
        const ws = join(dir, `ann-${n++}`);
        await mkdir(ws);
        const path = join(ws, 'annotations.jsonl');
        await writeFile(path, lines.join('\n') + (trailingNewline ? '\n' : ''));
        const store = await AnnotationStore.open(path);
        for (const p of store.problems) assert.ok(p.line >= 1 && p.line <= lines.length, `line ${p.line} of ${lines.length}`);
        const before = await readFile(path);
        try {
          await store.put({ traceId: 'x', annotator: 'y', at: '2025-01-01T00:00:00Z', labels: {}, steps: [] });
          assert.deepEqual(store.problems, []);
        } catch (err) {
          assert.ok(store.problems.length > 0, `write refused without problems: ${String(err)}`);
          assert.deepEqual(await readFile(path), before, 'a refused write leaves the file as it was');
        }
      }),
      { numRuns: RUNS.annotations },
    );
  });

  test(`schema files: ${RUNS.schema} random and mutated schemas validate without throwing`, () => {
    const mutatedSchema = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('version', 'questions', 'stepLabels', 'quality', 'guidelines')).map(([v, k]) => ({ ...DEFAULT_SCHEMA, [k]: v }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), mutatedSchema), (value) => {
        const result = validateSchema(value);
        assert.ok(result.schema !== null || result.problems.length > 0);
        for (const p of result.problems) assert.ok(p.path.length > 0 && p.message.length > 0);
      }),
      { numRuns: RUNS.schema },
    );
  });
});

describe('fuzz: text parsers', () => {
  test(`Python literals: ${RUNS.literal} random strings parse or give undefined`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.json().map((j) => j.replace(/true/g, 'True').replace(/null/g, 'None'))), (text) => {
        const v = parsePythonLiteral(text);
        if (v !== undefined) JSON.stringify(v);
      }),
      { numRuns: RUNS.literal },
    );
  });

  test(`JSON error positions: ${RUNS.offset} texts — null exactly when JSON.parse accepts, else an offset inside`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), mutatedRow, fc.string({ maxLength: 30 })), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const offset = jsonErrorOffset(text);
        if (valid) assert.equal(offset, null, text);
        else assert.ok(offset !== null && offset >= 0 && offset <= text.length, `${offset} for ${JSON.stringify(text)}`);
      }),
      { numRuns: RUNS.offset },
    );
  });
});

after(() => {
  const total = Object.values(RUNS).reduce((s, n) => s + n, 0);
  console.log(`# fuzzed inputs: ${total} (${Object.entries(RUNS).map(([k, n]) => `${k} ${n}`).join(', ')})`);
});
