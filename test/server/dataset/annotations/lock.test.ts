import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock, LockTimeoutError, processAlive, withLock } from '../../../../server/dataset/annotations/lock';
import { tempDir } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-lock-')));
after(() => cleanup());

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('file lock', () => {
  test('is exclusive within and across callers, and released afterwards', async () => {
    const target = join(dir, 'a.jsonl');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(target, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 3));
          inside--;
        }),
      ),
    );
    assert.equal(maxInside, 1);
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('a.jsonl.lock')), []);
  });

  test('breaks a lock left by a process that died', async () => {
    const target = join(dir, 'b.jsonl');
    const pid = deadPid();
    assert.equal(processAlive(pid), false);
    await writeFile(`${target}.lock`, JSON.stringify({ pid, host: hostname(), at: Date.now(), token: 'dead' }));
    const lock = await acquireLock(target, { timeoutMs: 2_000 });
    assert.equal(await lock.stillHeld(), true);
    await lock.release();
  });

  test('breaks an unreadable lock file once it is older than the grace period (torn by a crash)', async () => {
    const target = join(dir, 'c.jsonl');
    await writeFile(`${target}.lock`, '');
    const old = new Date(Date.now() - 10_000);
    await utimes(`${target}.lock`, old, old);
    await (await acquireLock(target, { timeoutMs: 2_000 })).release();
  });

  test('breaks a lock from another host only once it is older than the stale age', async () => {
    const target = join(dir, 'd.jsonl');
    await writeFile(`${target}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now(), token: 't' }));
    await assert.rejects(acquireLock(target, { timeoutMs: 100, staleMs: 60_000 }), LockTimeoutError);
    await writeFile(`${target}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now() - 120_000, token: 't' }));
    await (await acquireLock(target, { timeoutMs: 2_000, staleMs: 60_000 })).release();
  });

  test('waits for a live holder, then times out with a message saying who holds it and what to do', async () => {
    const target = join(dir, 'e.jsonl');
    await writeFile(`${target}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), at: Date.parse('2025-01-01T00:00:00Z'), token: 'x' }));
    await assert.rejects(acquireLock(target, { timeoutMs: 150 }), (err: Error) => {
      assert.ok(err instanceof LockTimeoutError);
      assert.equal(err.message, `${target} is locked by process ${process.ppid} on ${hostname()} since 2025-01-01T00:00:00.000Z; if no ThinkScope is running there, delete ${target}.lock`);
      return true;
    });
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('e.jsonl.lock.wait')), [], 'the wait marker is removed');
  });

  test('a lock whose file was replaced is no longer held', async () => {
    const target = join(dir, 'f.jsonl');
    const lock = await acquireLock(target);
    await writeFile(`${target}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'someone-else' }));
    assert.equal(await lock.stillHeld(), false);
    await lock.release(); // does not remove someone else's lock
    assert.ok((await readdir(dir)).includes('f.jsonl.lock'));
  });
});
