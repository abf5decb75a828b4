/**
 * kill -9 at random moments loses no acknowledged label: a child process writes annotations in a
 * loop (with frequent automatic compaction, so kills also land mid-compaction and while the lock
 * is held) and prints "ack N" after each durable write; it is killed with SIGKILL at a random
 * time, many times over the same file. After every kill the file must load without problems,
 * and every acknowledged label must be there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AnnotationStore, annotationsPath } from '../../../../server/dataset/annotations/store';
import { seededRandom } from '../../../../server/dataset/export/select';
import { tempDir } from '../fixtures/rows';
import { startWriter } from './fixtures/spawn';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-crash-')));
after(() => cleanup());

const RUNS = 20;

test(`kill -9 at random moments, ${RUNS} times, loses no acknowledged label`, { timeout: 240_000 }, async () => {
  const path = annotationsPath(dir);
  const random = seededRandom(20250101);
  const acked = new Map<string, number[]>();
  let totalAcks = 0;
  for (let run = 0; run < RUNS; run++) {
    const writer = startWriter({ path, annotator: 'crash', run: `r${run}`, mode: 'distinct', compactMinLines: 20, compactRatio: 1.05 });
    // Let it get going (tsx start-up), then kill it after a random number of further writes or a random delay.
    await writer.waitForAcks(1);
    const extraWrites = Math.floor(random() * 40);
    const delay = random() * 150;
    await Promise.race([writer.waitForAcks(1 + extraWrites), new Promise((r) => setTimeout(r, delay))]);
    writer.child.kill('SIGKILL');
    const { signal, stderr } = await writer.exited;
    assert.equal(signal, 'SIGKILL', `writer exited by itself: ${stderr}`);
    acked.set(`r${run}`, [...writer.acked]);
    totalAcks += writer.acked.length;

    const store = await AnnotationStore.open(path);
    assert.deepEqual(store.problems, [], `run ${run}: the file has problems after kill -9`);
    for (const [r, indices] of acked) {
      for (const i of indices) {
        const a = store.get(`t-${r}-${i}`, 'crash');
        assert.ok(a, `run ${run}: acknowledged label t-${r}-${i} is missing`);
        assert.equal(a.labels.n, i);
        assert.deepEqual(a.steps, [{ step: i % 7, labels: ['error'] }]);
      }
      const counter = store.get(`counter-${r}`, 'crash');
      const last = indices[indices.length - 1];
      if (last !== undefined) assert.ok(counter && (counter.labels.n as number) >= last, `run ${run}: counter-${r} went back before ${last}`);
    }
  }
  assert.ok(totalAcks >= RUNS, `only ${totalAcks} acknowledged writes`);

  // One more write takes any torn tail aside; then every line of the file parses.
  const store = await AnnotationStore.open(path);
  await store.put({ traceId: 'final', annotator: 'crash', at: new Date().toISOString(), labels: {}, steps: [] });
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  for (const line of lines) JSON.parse(line);
  const leftovers = (await readdir(join(dir, '.thinkscope'))).filter((n) => n.endsWith('.lock'));
  assert.deepEqual(leftovers, [], 'no lock left behind after a clean write');
  console.log(`# ${RUNS} kills, ${totalAcks} acknowledged writes checked, ${lines.length} lines in the file`);
});
