/**
 * Two processes (two VS Code windows) writing the same annotation file at once: neither
 * overwrites the other, including when both change the same trace through update(), and
 * automatic compaction by either does not drop the other's writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Annotation } from '../../../../protocol/dataset';
import { AnnotationStore, annotationsPath } from '../../../../server/dataset/annotations/store';
import { tempDir } from '../fixtures/rows';
import { startWriter } from './fixtures/spawn';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-two-')));
after(() => cleanup());

const WRITES = 100;

/** How often consecutive lines of the file come from different writers (proof they overlapped). */
async function switches(path: string): Promise<number> {
  const notes = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => (JSON.parse(l) as Annotation).note);
  return notes.filter((n, i) => i > 0 && n !== notes[i - 1]).length;
}

test('two processes writing different annotators and traces lose nothing', { timeout: 120_000 }, async () => {
  const path = annotationsPath(dir);
  const startAt = Date.now() + 2_000;
  const a = startWriter({ path, annotator: 'alice', run: 'a', mode: 'distinct', count: WRITES, compactMinLines: 50, startAt });
  const b = startWriter({ path, annotator: 'bob', run: 'b', mode: 'distinct', count: WRITES, compactMinLines: 50, startAt });
  const [ea, eb] = await Promise.all([a.exited, b.exited]);
  assert.equal(ea.code, 0, ea.stderr);
  assert.equal(eb.code, 0, eb.stderr);
  const store = await AnnotationStore.open(path);
  assert.deepEqual(store.problems, []);
  for (const [who, run] of [['alice', 'a'], ['bob', 'b']] as const) {
    for (let i = 0; i < WRITES; i++) assert.equal(store.get(`t-${run}-${i}`, who)?.labels.n, i, `${who} t-${run}-${i}`);
    assert.equal(store.get(`counter-${run}`, who)?.labels.n, WRITES - 1);
  }
});

test('two processes updating the same traces as the same annotator merge, never overwrite', { timeout: 120_000 }, async () => {
  const shared = annotationsPath(`${dir}/shared`);
  const startAt = Date.now() + 2_000;
  // No automatic compaction here, so the file's line order shows how the two interleaved.
  const a = startWriter({ path: shared, annotator: 'carol', run: 'w1', mode: 'shared', count: WRITES, startAt });
  const b = startWriter({ path: shared, annotator: 'carol', run: 'w2', mode: 'shared', count: WRITES, startAt });
  const [ea, eb] = await Promise.all([a.exited, b.exited]);
  assert.equal(ea.code, 0, ea.stderr);
  assert.equal(eb.code, 0, eb.stderr);
  const interleaved = await switches(shared);
  assert.ok(interleaved >= 10, `the writers barely overlapped (${interleaved} switches)`);
  const store = await AnnotationStore.open(shared);
  assert.deepEqual(store.problems, []);
  for (let t = 0; t < 10; t++) {
    const labels = store.get(`shared-${t}`, 'carol')!.labels;
    const expected: Record<string, number> = {};
    for (let i = t; i < WRITES; i += 10) {
      expected[`w1-${i}`] = i;
      expected[`w2-${i}`] = i;
    }
    assert.deepEqual(labels, expected, `shared-${t}`);
  }
});
