import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation, DatasetRecord } from '../../../../protocol/dataset';
import { exportDataset } from '../../../../server/dataset/export/write';
import { importDataset } from '../../../../server/dataset/import/index';
import { chatRow, r1Row, s1k11Row, s1kRow, tempDir, traceDoc, writeJsonl } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-export-')));
after(() => cleanup());

/** A record without its origin (which names the file it was read from, so differs after a round trip). */
function withoutOrigin(r: DatasetRecord): Omit<DatasetRecord, 'origin'> {
  const { origin: _origin, ...rest } = r;
  return rest;
}

async function sourceRecords(): Promise<DatasetRecord[]> {
  const path = join(dir, 'source.jsonl');
  await writeJsonl(path, [
    s1kRow(1),
    { ...s1kRow(2), metadata: { already: 'an object' }, extra_number: 7, extra_list: [1, 'two'], cot: 'a cot' },
    s1k11Row(3),
    { ...s1k11Row(4), deepseek_thinking_trajectory: null },
    r1Row(5),
    chatRow(6),
    { ...r1Row(7), id: 17, tags: { a: [true, null] } },
    traceDoc('trace-8'),
    { ...s1kRow(9), metadata: 'not a literal (', solution: null, attempt: null },
    { ...s1kRow(10), question: 'Unicode ∑ 😀 "quotes" \\ back\nslash' },
  ]);
  const report = await importDataset(path);
  assert.deepEqual(report.errors, []);
  assert.equal(report.records.length, 10);
  return report.records;
}

const annotations: Annotation[] = [
  { traceId: 'x', annotator: 'a', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'accept' }, steps: [] },
];

describe('exportDataset round trip', () => {
  for (const ext of ['jsonl', 'parquet'] as const) {
    test(`import(export(records)) gives the records back (${ext})`, async () => {
      const records = await sourceRecords();
      const withAnnotations = records.map((r, i) =>
        i === 0 ? { ...r, annotations: [{ ...annotations[0]!, traceId: r.id }, { traceId: r.id, annotator: 'b', at: '2025-01-02T00:00:00.000Z', labels: { quality: 'flawed', reasons: ['formatting'], difficulty: 4 }, steps: [{ step: 1, labels: ['error'] }], note: 'hmm' }] } : r,
      );
      const out = join(dir, `round.${ext}`);
      const result = await exportDataset(out, withAnnotations, { filter: 'all', includeTraces: true, trainingText: true });
      assert.equal(result.written, 10);
      assert.equal(result.format, ext);
      const back = await importDataset(out);
      assert.deepEqual(back.errors, []);
      assert.deepEqual(back.warnings.map((w) => w.message), ['metadata kept as text: it is neither a Python literal nor JSON']);
      assert.equal(back.format, 's1k');
      assert.deepEqual(back.records.map(withoutOrigin), withAnnotations.map(withoutOrigin));
      // …and a second trip changes nothing either.
      const again = join(dir, `again.${ext}`);
      await exportDataset(again, back.records, { filter: 'all', includeTraces: true, trainingText: true });
      assert.deepEqual((await importDataset(again)).records.map(withoutOrigin), withAnnotations.map(withoutOrigin));
    });
  }

  test('an empty export is a valid file that imports as nothing', async () => {
    for (const ext of ['jsonl', 'parquet']) {
      const out = join(dir, `empty.${ext}`);
      await exportDataset(out, [], {});
      const back = await importDataset(out);
      assert.deepEqual([back.records, back.errors], [[], []]);
    }
  });
});

describe('exportDataset columns and filters', () => {
  test('writes s1K columns first, then the source columns, id, domain and annotation columns', async () => {
    const records = await sourceRecords();
    const out = join(dir, 'columns.jsonl');
    await exportDataset(out, [records[2]!], {
      filter: 'all',
      annotations: [
        { traceId: records[2]!.id, annotator: 'a', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'accept', difficulty: 4, reasons: ['formatting'] }, steps: [] },
        { traceId: records[2]!.id, annotator: 'b', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'accept', difficulty: 5, reasons: [] }, steps: [] },
        { traceId: records[2]!.id, annotator: 'c', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'reject', reasons: ['formatting', 'other'] }, steps: [] },
      ],
    });
    const row = JSON.parse((await readFile(out, 'utf8')).trim()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(row), [
      'solution', 'question', 'cot_type', 'source_type', 'metadata', 'cot', 'thinking_trajectories', 'attempt',
      'gemini_thinking_trajectory', 'gemini_attempt', 'gemini_grade', 'gemini_grade_reason', 'deepseek_grade', 'deepseek_grade_reason',
      'domain', 'thinkscope_id', 'annotation_count',
      'annotation_quality', 'annotation_reasons', 'annotation_correctness', 'annotation_difficulty', 'annotation_domain',
      'annotations',
    ]);
    assert.deepEqual(row.thinking_trajectories, [records[2]!.thinking]);
    assert.equal(row.metadata, s1k11Row(3).metadata);
    assert.equal(row.annotation_count, 3);
    assert.equal(row.annotation_quality, 'accept');
    assert.deepEqual(row.annotation_reasons, ['formatting']);
    assert.equal(row.annotation_difficulty, 4.5);
    assert.equal(row.annotation_correctness, null);
  });

  test('keeps records accepted by enough annotators and rejected by none (the default: ≥1 and none)', async () => {
    const records = (await sourceRecords()).slice(0, 4);
    const [r0, r1, r2, r3] = records.map((r) => r.id) as [string, string, string, string];
    const at = '2025-01-01T00:00:00.000Z';
    const votes: Annotation[] = [
      { traceId: r0, annotator: 'a', at, labels: { quality: 'accept' }, steps: [] },
      { traceId: r1, annotator: 'a', at, labels: { quality: 'accept' }, steps: [] },
      { traceId: r1, annotator: 'b', at, labels: { quality: 'reject' }, steps: [] },
      { traceId: r2, annotator: 'a', at, labels: { quality: 'flawed' }, steps: [] },
      { traceId: r3, annotator: 'a', at, labels: { quality: 'accept' }, steps: [] },
      { traceId: r3, annotator: 'b', at, labels: { quality: 'accept' }, steps: [] },
    ];
    const ids = async (filter: NonNullable<Parameters<typeof exportDataset>[2]>['filter']): Promise<string[]> => {
      const out = join(dir, 'filtered.jsonl');
      await exportDataset(out, records, { annotations: votes, filter });
      return (await importDataset(out)).records.map((r) => r.id);
    };
    assert.deepEqual(await ids(undefined), [r0, r3]);
    assert.deepEqual(await ids({ minAccepted: 2 }), [r3]);
    assert.deepEqual(await ids({ allowRejected: true }), [r0, r1, r3]);
    assert.deepEqual(await ids({ minAccepted: 0 }), [r0, r2, r3]);
    const result = await exportDataset(join(dir, 'x.jsonl'), records, { annotations: votes });
    assert.deepEqual([result.written, result.rejected, result.tooFewAccepts], [2, 1, 1]);
  });

  test('a later revision in the store replaces the one carried in the file', async () => {
    const [record] = await sourceRecords();
    const carried = { ...record!, annotations: [{ traceId: record!.id, annotator: 'a', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'reject' }, steps: [] }] };
    const out = join(dir, 'latest.jsonl');
    const result = await exportDataset(out, [carried], {
      annotations: [{ traceId: record!.id, annotator: 'a', at: '2025-02-01T00:00:00.000Z', labels: { quality: 'accept' }, steps: [] }],
    });
    assert.equal(result.written, 1);
    assert.equal((await importDataset(out)).records[0]!.annotations![0]!.labels.quality, 'accept');
  });

  test('a source column named like an export column is kept as source_<name>', async () => {
    const path = join(dir, 'clash.jsonl');
    await writeJsonl(path, [{ ...r1Row(1), thinkscope_trace: 'mine', annotation_quality: 5 }]);
    const [record] = (await importDataset(path)).records;
    const out = join(dir, 'clash-out.jsonl');
    await exportDataset(out, [record!], { filter: 'all' });
    const row = JSON.parse((await readFile(out, 'utf8')).trim()) as Record<string, unknown>;
    assert.equal(row.source_thinkscope_trace, 'mine');
    assert.equal(row.source_annotation_quality, 5);
  });

  test('writes atomically: a failed export leaves the previous file', async () => {
    const out = join(dir, 'keep.jsonl');
    await writeFile(out, 'previous\n');
    const bad = { ...(await sourceRecords())[0]!, columns: { big: 10n as unknown as number } };
    await assert.rejects(exportDataset(out, [bad], { filter: 'all' }));
    assert.equal(await readFile(out, 'utf8'), 'previous\n');
  });
});
