import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation, DatasetRecord } from '../../../../protocol/dataset';
import { computeAgreement } from '../../../../server/dataset/agreement';
import { DEFAULT_SCHEMA } from '../../../../server/dataset/annotations/schema';
import { annotationProgress, queueRecords } from '../../../../server/dataset/annotations/queue';

const rec = (id: string, domain: string | null): DatasetRecord => ({
  id,
  question: id,
  solution: null,
  thinking: 't',
  attempt: 'a',
  domain,
  cotType: null,
  sourceType: null,
  metadata: null,
  metadataRaw: null,
  columns: {},
  origin: { file: 'f', container: 'jsonl', row: 1, format: 's1k' },
});
const ann = (traceId: string, annotator: string, quality: string): Annotation => ({ traceId, annotator, at: '2025-01-01T00:00:00Z', labels: { quality }, steps: [] });

const records = [rec('a', 'math'), rec('b', 'physics'), rec('c', 'math'), rec('d', null)];
const annotations = [ann('a', 'me', 'accept'), ann('a', 'you', 'reject'), ann('b', 'you', 'accept'), ann('c', 'me', 'accept'), ann('c', 'you', 'accept')];

test('progress counts records labelled by anyone and by me', () => {
  assert.deepEqual(annotationProgress(records, annotations, 'me'), { total: 4, labelled: 3, mine: 2 });
});

test('queue filters', () => {
  const ids = (filter: Parameters<typeof queueRecords>[2]): string[] =>
    queueRecords(records, annotations, filter, 'me', computeAgreement(annotations, DEFAULT_SCHEMA)).map((r) => r.id);
  assert.deepEqual(ids({ kind: 'all' }), ['a', 'b', 'c', 'd']);
  assert.deepEqual(ids({ kind: 'unlabelled' }), ['d']);
  assert.deepEqual(ids({ kind: 'mine' }), ['a', 'c']);
  assert.deepEqual(ids({ kind: 'disagreements' }), ['a']);
  assert.deepEqual(ids({ kind: 'domain', domain: 'math' }), ['a', 'c']);
  assert.deepEqual(ids({ kind: 'label', question: 'quality', value: 'reject' }), ['a']);
});
