import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstInvalidUtf8 } from '../../../server/trace/utf8';

const valid = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8', () => {
  test('valid text', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('a é 数 🙂')), -1);
    assert.equal(firstInvalidUtf8(new Uint8Array()), -1);
  });

  test('finds the first bad byte', () => {
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xff])), 1);
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xc3])), 1); // truncated é
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xc0, 0x80])), 0); // overlong
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80])), 0); // surrogate
    assert.equal(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80])), 0); // above U+10FFFF
    assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xe2, 0x82])), 2);
  });

  test('agrees with TextDecoder on random bytes, and the prefix before the bad byte is valid (property)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.uint8Array({ maxLength: 3 }), fc.nat()).map(([s, noise, at]) => {
        const b = Buffer.from(s);
        const i = at % (b.length + 1);
        return Uint8Array.from([...b.subarray(0, i), ...noise, ...b.subarray(i)]);
      }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const bad = firstInvalidUtf8(b);
        assert.equal(bad === -1, valid(b));
        if (bad >= 0) assert.ok(valid(b.subarray(0, bad)));
      }),
      { numRuns: 3000 },
    );
  });
});
