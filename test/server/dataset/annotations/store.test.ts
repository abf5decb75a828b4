import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation } from '../../../../protocol/dataset';
import { AnnotationFileCorruptError, AnnotationStore, annotationsPath } from '../../../../server/dataset/annotations/store';
import { tempDir } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

let counter = 0;
async function freshPath(): Promise<string> {
  const ws = join(dir, `ws-${counter++}`);
  await mkdir(ws);
  return annotationsPath(ws);
}

function ann(traceId: string, annotator: string, at: string, labels: Annotation['labels'] = { quality: 'accept' }): Annotation {
  return { traceId, annotator, at, labels, steps: [] };
}

describe('AnnotationStore', () => {
  test('writes under .thinkscope and reads back after reopening', async () => {
    const path = await freshPath();
    assert.match(path, /\.thinkscope[/\\]annotations\.jsonl$/);
    const store = await AnnotationStore.open(path);
    assert.deepEqual(store.all(), []);
    await store.put({ traceId: 't1', annotator: 'ann', at: '2025-01-01T00:00:00.000Z', labels: { quality: 'flawed', reasons: ['formatting'] }, steps: [{ step: 3, labels: ['error'] }, { step: 1, labels: ['correct'] }], note: 'n' });
    const again = await AnnotationStore.open(path);
    assert.deepEqual(again.get('t1', 'ann'), {
      traceId: 't1',
      annotator: 'ann',
      at: '2025-01-01T00:00:00.000Z',
      labels: { quality: 'flawed', reasons: ['formatting'] },
      steps: [{ step: 1, labels: ['correct'] }, { step: 3, labels: ['error'] }],
      note: 'n',
    });
  });

  test('the latest revision wins by time, whatever the line order', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    await store.put(ann('t', 'a', '2025-01-02T00:00:00.000Z', { quality: 'reject' }));
    await store.put(ann('t', 'a', '2025-01-01T00:00:00.000Z', { quality: 'accept' })); // older: appended but superseded
    assert.equal(store.get('t', 'a')!.labels.quality, 'reject');
    assert.equal((await AnnotationStore.open(path)).get('t', 'a')!.labels.quality, 'reject');
  });

  test('update() sees what another instance wrote and never drops its labels', async () => {
    const path = await freshPath();
    const windowA = await AnnotationStore.open(path);
    const windowB = await AnnotationStore.open(path);
    await windowA.update('t', 'me', (cur) => ({ labels: { ...cur?.labels, quality: 'accept' }, steps: [] }));
    await windowB.update('t', 'me', (cur) => ({ labels: { ...cur?.labels, difficulty: 4 }, steps: [] }));
    await windowA.update('t', 'me', (cur) => ({ labels: { ...cur?.labels, correctness: 'correct' }, steps: cur?.steps ?? [] }));
    assert.deepEqual((await AnnotationStore.open(path)).get('t', 'me')!.labels, { correctness: 'correct', difficulty: 4, quality: 'accept' });
    assert.equal(await windowB.refresh(), true);
    assert.deepEqual(windowB.get('t', 'me')!.labels, { correctness: 'correct', difficulty: 4, quality: 'accept' });
  });

  test('update() stamps revisions strictly after the current one', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    const future = new Date(Date.now() + 60_000).toISOString();
    await store.put(ann('t', 'a', future, { quality: 'reject' }));
    const next = await store.update('t', 'a', () => ({ labels: { quality: 'accept' }, steps: [] }));
    assert.ok(Date.parse(next.at) > Date.parse(future));
    assert.equal((await AnnotationStore.open(path)).get('t', 'a')!.labels.quality, 'accept');
  });

  test('refuses an invalid annotation, naming the field', async () => {
    const store = await AnnotationStore.open(await freshPath());
    await assert.rejects(store.put({ ...ann('t', 'a', 'yesterday') }), /at: expected an ISO 8601 date/);
    await assert.rejects(store.put({ ...ann('t', 'a', '2025-01-01T00:00:00Z'), steps: [{ step: -1, labels: [] }] }), /steps\[0\]\.step: expected a step index/);
    await assert.rejects(store.put({ ...ann('t', 'a', '2025-01-01T00:00:00Z'), labels: { q: { nested: 1 } as never } }), /labels\.q: expected text, a number or a list of labels, found an object/);
  });

  test('a corrupt line is reported with its number and the file is never overwritten', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    await store.put(ann('t1', 'a', '2025-01-01T00:00:00.000Z'));
    await appendFile(path, '{"traceId": "t2", "annotator": \n');
    await appendFile(path, `${JSON.stringify(ann('t3', 'a', '2025-01-01T00:00:00.000Z'))}\n`);
    await appendFile(path, '{"traceId": "t4"}\n');
    const before = await readFile(path);

    const reopened = await AnnotationStore.open(path);
    assert.deepEqual(reopened.problems.map((p) => p.line), [2, 4]);
    assert.match(reopened.problems[0]!.message, /^column 32: invalid JSON/);
    assert.match(reopened.problems[1]!.message, /^not an annotation: annotator: expected a non-empty string/);
    assert.ok(reopened.get('t3', 'a'), 'valid lines are still read');

    for (const s of [store, reopened]) {
      await assert.rejects(s.put(ann('t5', 'a', '2025-01-01T00:00:00.000Z')), (err: Error) => {
        assert.ok(err instanceof AnnotationFileCorruptError);
        assert.match(err.message, /annotations\.jsonl:2: column 32: invalid JSON.*\(and 1 more line\)\. The annotation file is not valid, so new labels are not saved until it is fixed/);
        return true;
      });
      await assert.rejects(s.compact(), AnnotationFileCorruptError);
    }
    assert.deepEqual(await readFile(path), before);

    // Fixed by the user: writes work again.
    const lines = before.toString('utf8').split('\n');
    await writeFile(path, [lines[0], lines[2], ''].join('\n'));
    await store.put(ann('t5', 'a', '2025-01-01T00:00:00.000Z'));
    assert.deepEqual(store.problems, []);
    assert.deepEqual(store.all().map((a) => a.traceId), ['t1', 't3', 't5']);
  });

  test('names a git conflict marker as such', async () => {
    const path = await freshPath();
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `<<<<<<< HEAD\n${JSON.stringify(ann('t', 'a', '2025-01-01T00:00:00Z'))}\n=======\n>>>>>>> other\n`);
    const store = await AnnotationStore.open(path);
    assert.deepEqual(store.problems.map((p) => p.line), [1, 3, 4]);
    assert.match(store.problems[0]!.message, /git merge conflict marker/);
  });

  test('a torn last line (an interrupted write) is set aside, not lost and not an error', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    await store.put(ann('t1', 'a', '2025-01-01T00:00:00.000Z'));
    const torn = '{"traceId":"t2","annotator":"a","at":"2025-01-01T00:0';
    await appendFile(path, torn);
    const reopened = await AnnotationStore.open(path);
    assert.deepEqual(reopened.problems, []);
    assert.deepEqual(reopened.all().map((a) => a.traceId), ['t1']);
    await reopened.put(ann('t3', 'a', '2025-01-01T00:00:00.000Z'));
    const text = await readFile(path, 'utf8');
    assert.deepEqual(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as Annotation).traceId), ['t1', 't3']);
    const side = (await readdir(join(path, '..'))).filter((n) => n.startsWith('annotations.jsonl.torn-'));
    assert.equal(side.length, 1);
    assert.equal(await readFile(join(path, '..', side[0]!), 'utf8'), torn);
  });

  test('compaction keeps one sorted line per annotation; other instances notice', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    const other = await AnnotationStore.open(path);
    for (let i = 0; i < 5; i++) {
      await store.update('b', 'y', () => ({ labels: { n: i }, steps: [] }));
      await store.update('a', 'z', () => ({ labels: { n: i }, steps: [] }));
      await store.update('a', 'x', () => ({ labels: { n: i }, steps: [] }));
    }
    assert.deepEqual(store.stats, { lines: 15, annotations: 3 });
    const inode = (await stat(path)).ino;
    assert.deepEqual(await store.compact(), { linesBefore: 15, linesAfter: 3 });
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Annotation);
    assert.deepEqual(lines.map((a) => [a.traceId, a.annotator, a.labels.n]), [
      ['a', 'x', 4],
      ['a', 'z', 4],
      ['b', 'y', 4],
    ]);
    assert.notEqual((await stat(path)).ino, inode, 'replaced by rename');
    await other.update('c', 'w', () => ({ labels: { n: 1 }, steps: [] }));
    assert.deepEqual(other.all().map((a) => a.traceId), ['a', 'a', 'b', 'c']);
    assert.equal(other.get('a', 'x')!.labels.n, 4);
  });

  test('compacts on its own once superseded lines pile up', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path, { compactMinLines: 10, compactRatio: 2 });
    for (let i = 0; i < 30; i++) await store.update(`t${i % 3}`, 'a', () => ({ labels: { n: i }, steps: [] }));
    assert.ok(store.stats.lines <= 11, `lines ${store.stats.lines}`);
    const again = await AnnotationStore.open(path);
    assert.deepEqual(again.all().map((a) => [a.traceId, a.labels.n]), [
      ['t0', 27],
      ['t1', 28],
      ['t2', 29],
    ]);
  });

  test('serialises concurrent writes of one instance', async () => {
    const path = await freshPath();
    const store = await AnnotationStore.open(path);
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.update('t', 'a', (cur) => ({ labels: { ...cur?.labels, [`k${i}`]: i }, steps: [] }))));
    assert.equal(Object.keys((await AnnotationStore.open(path)).get('t', 'a')!.labels).length, 40);
  });
});
