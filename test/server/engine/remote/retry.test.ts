import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, parseRetryAfter, sleep } from '../../../../server/engine/remote/retry';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5000 };

  test('doubles with each attempt, jittered between half and all of it', () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const full = 100 * 2 ** attempt;
      assert.equal(backoffDelay(attempt, { ...options, random: () => 0 }), full / 2);
      assert.equal(backoffDelay(attempt, { ...options, random: () => 0.999999 }), Math.round(full * 0.9999995));
      const d = backoffDelay(attempt, options);
      assert.ok(d >= full / 2 && d <= full, `attempt ${attempt}: ${d}`);
    }
  });

  test('never exceeds the cap', () => {
    assert.equal(backoffDelay(30, { ...options, random: () => 0.99 }), 5000);
  });

  test('a longer Retry-After wins; a shorter one does not shorten the backoff; both are capped', () => {
    const fixed = { ...options, random: () => 0 };
    assert.equal(backoffDelay(0, fixed, 2000), 2000);
    assert.equal(backoffDelay(3, fixed, 10), 400);
    assert.equal(backoffDelay(0, fixed, 60_000), 5000);
  });
});

describe('parseRetryAfter', () => {
  test('reads delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(' 0.5 '), 500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  });

  test('null when absent or unreadable', () => {
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter('-5'), null);
  });
});

describe('sleep', () => {
  test('waits, and rejects at once with the reason when aborted', async () => {
    const t0 = performance.now();
    await sleep(20);
    assert.ok(performance.now() - t0 >= 15);
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    await assert.rejects(sleep(10, AbortSignal.abort(new Error('already'))), /already/);
  });
});
