import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConcurrencyLimiter, mapConcurrent } from '../../../../server/engine/remote/limiter';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ConcurrencyLimiter', () => {
  test('never runs more than the limit at once, and runs everything in order of arrival', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick(5 + (i % 3) * 3);
          running--;
          return i * 10;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(results, [0, 10, 20, 30, 40, 50, 60]);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(limiter.active, 0);
    assert.equal(limiter.pending, 0);
  });

  test('a failing task frees its slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await assert.rejects(limiter.run(() => Promise.reject(new Error('bad'))), /bad/);
    assert.equal(await limiter.run(() => Promise.resolve('next')), 'next');
  });

  test('a task aborted while it waits leaves the queue and rejects with the reason', async () => {
    const limiter = new ConcurrencyLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(async () => {
      ran = true;
    }, controller.signal);
    assert.equal(limiter.pending, 1);
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(second, /cancelled by the user/);
    assert.equal(limiter.pending, 0);
    release();
    await first;
    assert.equal(ran, false);
  });

  test('refuses limits that are not whole numbers ≥ 1', () => {
    assert.throws(() => new ConcurrencyLimiter(0), RangeError);
    assert.throws(() => new ConcurrencyLimiter(1.5), /whole number ≥ 1, got 1.5/);
  });
});

test('mapConcurrent keeps the order of results and respects the limit', async () => {
  let running = 0;
  let most = 0;
  const out = await mapConcurrent([5, 1, 4, 2, 3], 3, async (x) => {
    running++;
    most = Math.max(most, running);
    await tick(x * 2);
    running--;
    return x * x;
  });
  assert.deepEqual(out, [25, 1, 16, 4, 9]);
  assert.equal(most, 3);
});
