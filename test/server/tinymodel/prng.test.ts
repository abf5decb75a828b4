import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../server/tinymodel/prng';

describe('createRng', () => {
  test('a seed always gives the same stream, another seed another stream', () => {
    const take = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.uniform());
    };
    assert.deepEqual(take(7), take(7));
    assert.notDeepEqual(take(7), take(8));
  });

  test('uniform values lie in [0, 1) and average about one half', () => {
    const rng = createRng(1);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.uniform();
      assert.ok(u >= 0 && u < 1);
      sum += u;
    }
    assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
  });

  test('normal values have mean 0 and standard deviation 1', () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 0.03, `sd ${sd}`);
  });

  test('int stays in range and rejects non-integer seeds', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(5);
      assert.ok(Number.isInteger(n) && n >= 0 && n < 5);
    }
    assert.throws(() => createRng(1.5), /must be an integer/);
  });
});
