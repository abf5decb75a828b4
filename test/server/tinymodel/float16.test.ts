import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fromFloat16Bits, toFloat16Bits } from '../../../server/tinymodel/float16';

describe('float16', () => {
  test('exact values keep their bit patterns', () => {
    assert.equal(toFloat16Bits(0), 0x0000);
    assert.equal(toFloat16Bits(-0), 0x8000);
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(toFloat16Bits(2 ** -14), 0x0400); // smallest normal
  });

  test('overflow, infinities and NaN', () => {
    assert.equal(toFloat16Bits(65520), 0x7c00); // rounds up to infinity
    assert.equal(toFloat16Bits(1e9), 0x7c00);
    assert.equal(toFloat16Bits(-Infinity), 0xfc00);
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
    assert.equal(toFloat16Bits(2 ** -26), 0x0000); // below half the smallest subnormal
  });

  test('ties round to even', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: the even mantissa (1) wins.
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00);
    // 1 + 3·2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
    assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
  });

  test('every half-precision number survives a round trip', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromFloat16Bits(bits);
      if (Number.isNaN(value)) continue;
      assert.equal(toFloat16Bits(value), bits, `bits ${bits.toString(16)}`);
    }
  });

  test('the result is the nearest half-precision number', () => {
    fc.assert(
      fc.property(fc.double({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const h = fromFloat16Bits(toFloat16Bits(x));
        const bits = toFloat16Bits(x);
        for (const neighbour of [bits - 1, bits + 1]) {
          if ((neighbour & 0x7fff) > 0x7bff || neighbour < 0) continue;
          const n = fromFloat16Bits(neighbour);
          if (Math.abs(n - x) < Math.abs(h - x)) return false;
        }
        return true;
      }),
    );
  });
});
