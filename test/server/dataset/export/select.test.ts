import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation, DatasetRecord, JsonValue } from '../../../../protocol/dataset';
import { gradeVerdict, seededRandom, selectLikeS1 } from '../../../../server/dataset/export/select';

function rec(id: string, domain: string, thinkingLength: number, columns: Record<string, JsonValue> = {}, extra: Partial<DatasetRecord> = {}): DatasetRecord {
  return {
    id,
    question: `q ${id}`,
    solution: null,
    thinking: 'x'.repeat(thinkingLength),
    attempt: 'a',
    domain,
    cotType: null,
    sourceType: null,
    metadata: null,
    metadataRaw: null,
    columns,
    origin: { file: 'f', container: 'jsonl', row: 1, format: 's1k' },
    ...extra,
  };
}

const accept = (traceId: string, annotator = 'a', domain?: string): Annotation => ({
  traceId,
  annotator,
  at: '2025-01-01T00:00:00Z',
  labels: domain ? { quality: 'accept', domain } : { quality: 'accept' },
  steps: [],
});

describe('selectLikeS1', () => {
  test('keeps only accepted records, drops rejected, unlabelled and broken ones, and says so', () => {
    const pool = [
      rec('ok1', 'algebra', 100),
      rec('ok2', 'algebra', 200),
      rec('rej', 'algebra', 300),
      rec('flawed', 'algebra', 300),
      rec('unlabelled', 'algebra', 300),
      rec('noanswer', 'algebra', 300, {}, { attempt: null }),
      rec('image', 'algebra', 300, {}, { question: 'In the figure ![f](fig1.png), find x.' }),
    ];
    const annotations = [
      accept('ok1'),
      accept('ok2'),
      accept('rej'),
      { ...accept('rej', 'b'), labels: { quality: 'reject' } },
      { ...accept('flawed'), labels: { quality: 'flawed' } },
      accept('noanswer'),
      accept('image'),
    ];
    const { selected, report } = selectLikeS1(pool, { targetSize: 10, annotations });
    assert.deepEqual(selected.map((r) => r.id).sort(), ['ok1', 'ok2']);
    assert.deepEqual(report.steps[0], {
      name: 'quality',
      kept: 2,
      dropped: 5,
      detail:
        'kept records accepted ("quality" in accept) by at least one annotator and rejected by none; dropped 1 rejected, 1 labelled but not accepted, 1 unlabelled, and by the automatic checks 1 no answer, 1 refers to an image',
    });
    assert.match(report.text, /^Select like s1: 2 of 7 records \(target 10, seed 0\)\./);
    assert.match(report.text, /The pool had only 2 records after the quality step: fewer than the target\./);
  });

  test('samples across domains: every domain gets picks before a big one dominates', () => {
    const pool: DatasetRecord[] = [];
    for (let i = 0; i < 200; i++) pool.push(rec(`alg${i}`, 'algebra', 1000 + i));
    for (let i = 0; i < 10; i++) pool.push(rec(`geo${i}`, 'geometry', 500 + i));
    for (let i = 0; i < 10; i++) pool.push(rec(`phy${i}`, 'physics', 500 + i));
    const { selected, report } = selectLikeS1(pool, { targetSize: 30, seed: 7, includeUnlabelled: true });
    assert.equal(selected.length, 30);
    const counts = new Map<string, number>();
    for (const r of selected) counts.set(r.domain!, (counts.get(r.domain!) ?? 0) + 1);
    // Uniform over domains: algebra's 200 records do not crowd out the small domains.
    assert.ok((counts.get('geometry') ?? 0) >= 6, JSON.stringify([...counts]));
    assert.ok((counts.get('physics') ?? 0) >= 6, JSON.stringify([...counts]));
    assert.ok((counts.get('algebra') ?? 0) <= 18, JSON.stringify([...counts]));
    assert.deepEqual(report.domains.map((d) => d.domain).sort(), ['algebra', 'geometry', 'physics']);
    assert.equal(report.domains.reduce((s, d) => s + d.selected, 0), 30);
  });

  test('prefers longer thinking within a domain', () => {
    const pool = Array.from({ length: 100 }, (_, i) => rec(`r${i}`, 'd', i * 10));
    const { selected } = selectLikeS1(pool, { targetSize: 10, seed: 1, includeUnlabelled: true });
    const mean = selected.reduce((s, r) => s + r.thinking.length, 0) / selected.length;
    assert.ok(mean > 850, `mean thinking length ${mean}`);
  });

  test('prefers records a reference model failed, when *_grade columns exist', () => {
    const pool = [
      ...Array.from({ length: 20 }, (_, i) => rec(`solved${i}`, 'd', 5000, { gemini_grade: 'Yes', deepseek_grade: 'Yes' })),
      ...Array.from({ length: 5 }, (_, i) => rec(`failed${i}`, 'd', 100, { gemini_grade: 'No', deepseek_grade: 'Yes' })),
    ];
    const { selected, report } = selectLikeS1(pool, { targetSize: 5, seed: 3, includeUnlabelled: true });
    assert.ok(selected.filter((r) => r.id.startsWith('failed')).length >= 4, selected.map((r) => r.id).join());
    assert.match(report.steps[1]!.detail, /ranked 5 records failed by a reference model \(deepseek_grade, gemini_grade\) first, then 0 ungraded, then 20 solved/);
  });

  test("the annotators' domain overrides the record's", () => {
    const pool = [rec('a', 'math', 10), rec('b', 'math', 10)];
    const { report } = selectLikeS1(pool, { targetSize: 2, annotations: [accept('a', 'x', 'combinatorics'), accept('b')] });
    assert.deepEqual(report.domains.map((d) => d.domain).sort(), ['combinatorics', 'math']);
  });

  test('is deterministic for a seed and differs across seeds', () => {
    const pool = Array.from({ length: 300 }, (_, i) => rec(`r${i}`, `d${i % 7}`, 100 + (i % 13)));
    const pick = (seed: number): string[] => selectLikeS1(pool, { targetSize: 50, seed, includeUnlabelled: true }).selected.map((r) => r.id);
    assert.deepEqual(pick(42), pick(42));
    assert.notDeepEqual(pick(42), pick(43));
  });
});

test('gradeVerdict reads s1K-1.1 style grades', () => {
  assert.equal(gradeVerdict({ gemini_grade: 'Yes', deepseek_grade: 'No' }), 'failed');
  assert.equal(gradeVerdict({ gemini_grade: 'Yes' }), 'solved');
  assert.equal(gradeVerdict({ other: 'No' }), 'unknown');
});

test('seededRandom is uniform-ish in [0, 1)', () => {
  const r = seededRandom(1);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = r();
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
});
