import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { escapeBytes, GgufFormatError, readGgufHeader } from '../../../server/tinymodel/ggufReader';
import { writeGguf, type GgufMetadataEntry } from '../../../server/tinymodel/ggufWriter';

/** Serves reads from memory, at most `chunk` bytes at a time (to exercise refills). */
const readAt =
  (bytes: Uint8Array, chunk = Infinity) =>
  async (buffer: Uint8Array, position: number): Promise<number> => {
    const part = bytes.subarray(position, Math.min(position + buffer.length, position + chunk));
    buffer.set(part);
    return part.length;
  };

async function rejects(bytes: Uint8Array, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(readGgufHeader(readAt(bytes), bytes.length), (error: unknown) => {
    assert.ok(error instanceof GgufFormatError, String(error));
    assert.equal(error.code, code);
    assert.match(error.detail, pattern);
    return true;
  });
}

/** A little-endian byte builder for hand-made (often broken) headers. */
class Bytes {
  private parts: number[] = [];
  raw(...b: number[]): this {
    this.parts.push(...b);
    return this;
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    return this.raw(...b);
  }
  u64(v: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return this.raw(...b);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u64(BigInt(b.length)).raw(...b);
  }
  header(tensors: bigint, kvs: bigint): this {
    return this.raw(...new TextEncoder().encode('GGUF')).u32(3).u64(tensors).u64(kvs);
  }
  done(): Uint8Array {
    return new Uint8Array(this.parts);
  }
}

describe('readGgufHeader', () => {
  test('reads back any metadata the writer writes, whatever the chunk size', async () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_.]{0,20}$/);
    const value = fc.oneof(
      fc.record({ type: fc.constant('uint32' as const), value: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      fc.record({ type: fc.constant('int32' as const), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
      fc.record({ type: fc.constant('bool' as const), value: fc.boolean() }),
      fc.record({ type: fc.constant('string' as const), value: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
      fc.record({
        type: fc.constant('string[]' as const),
        value: fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 30 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ key, value }), { selector: (e) => e.key, maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        async (entries, chunk) => {
          const bytes = writeGguf(entries as GgufMetadataEntry[], []);
          const keep = new Set(entries.map((e) => e.key));
          const header = await readGgufHeader(readAt(bytes, chunk), bytes.length, { keepStringArrays: keep });
          assert.deepEqual([...header.metadata.keys()], entries.map((e) => e.key));
          for (const e of entries) {
            const got = header.metadata.get(e.key);
            if (e.value.type === 'string[]') {
              assert.deepEqual(got, { kind: 'array', itemType: 8, length: e.value.value.length, strings: e.value.value });
            } else {
              assert.equal(got, e.value.value);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('names what it found instead of the magic', async () => {
    await rejects(new TextEncoder().encode('PK\x03\x04rest'), 'not-gguf', /starts with "PK\\x03\\x04", expected "GGUF"/);
    await rejects(new Uint8Array(0), 'not-gguf', /it is empty/);
    await rejects(new TextEncoder().encode('GG'), 'not-gguf', /starts with "GG"/);
  });

  test('refuses other versions, with a hint for big-endian files', async () => {
    const v = (version: number): Uint8Array => new Bytes().raw(...new TextEncoder().encode('GGUF')).u32(version).u64(0n).u64(0n).done();
    await rejects(v(1), 'unsupported-version', /version 1; only versions 2 and 3.*obsolete/);
    await rejects(v(4), 'unsupported-version', /version 4/);
    await rejects(v(0x03000000), 'unsupported-version', /big-endian/);
  });

  test('absurd lengths are refused before anything is allocated', async () => {
    const hugeString = new Bytes().header(0n, 1n).str('k').u32(8).u64(1n << 60n).done();
    await rejects(hugeString, 'bad-metadata', /declares the value of metadata key k of 1152921504606846976 bytes/);
    const hugeArray = new Bytes().header(0n, 1n).str('k').u32(9).u32(4).u64(1n << 40n).done();
    await rejects(hugeArray, 'bad-metadata', /declares 1099511627776 items in metadata key k/);
    const hugeCount = new Bytes().header(0n, 1n << 50n).done();
    await rejects(hugeCount, 'bad-metadata', /declares 1125899906842624 metadata entries/);
    const hugeKey = new Bytes().header(0n, 1n).u64(1n << 33n).raw(...new Uint8Array(16)).done();
    await rejects(hugeKey, 'bad-metadata', /the name of metadata entry 0 of 8589934592 bytes/);
  });

  test('a file cut short says where', async () => {
    const bytes = writeGguf([{ key: 'tokens', value: { type: 'string[]', value: ['a', 'b', 'c', 'd'] } }], []);
    await rejects(bytes.subarray(0, 88), 'truncated', /cut short: it ends at byte 88 while reading item 3 of metadata key tokens/);
    await rejects(bytes.subarray(0, 60), 'truncated', /metadata key tokens declares 4 items, which need at least 32 bytes, but only 6 remain/);
    await rejects(bytes.subarray(0, 10), 'truncated', /cut short/);
    const arrayBeyondEnd = new Bytes().header(0n, 1n).str('k').u32(9).u32(4).u64(1000n).done();
    await rejects(arrayBeyondEnd, 'truncated', /metadata key k declares 1000 items/);
  });

  test('refuses nested arrays, unknown value types, duplicate and empty keys', async () => {
    await rejects(new Bytes().header(0n, 1n).str('k').u32(9).u32(9).u64(0n).done(), 'bad-metadata', /nested arrays/);
    await rejects(new Bytes().header(0n, 1n).str('k').u32(77).done(), 'bad-metadata', /unknown value type 77/);
    const twice = new Bytes().header(0n, 2n).str('k').u32(7).raw(1).str('k').u32(7).raw(0).done();
    await rejects(twice, 'bad-metadata', /the metadata key k twice/);
    await rejects(new Bytes().header(0n, 1n).str('').u32(7).raw(1).done(), 'bad-metadata', /empty metadata key/);
  });

  test('checks tensor infos: type, dimensions, alignment, layout and extent', async () => {
    const tensor = (dims: bigint[], type: number, offset: bigint, extra = 0): Uint8Array => {
      const b = new Bytes().header(1n, 0n).str('t').u32(dims.length);
      for (const d of dims) b.u64(d);
      b.u32(type).u64(offset);
      const body = b.done();
      const padded = new Uint8Array(Math.ceil(body.length / 32) * 32 + extra);
      padded.set(body);
      return padded;
    };
    await rejects(tensor([4n], 99, 0n, 16), 'bad-tensor', /unknown ggml type 99/);
    await rejects(tensor([1n, 1n, 1n, 1n, 1n], 0, 0n), 'bad-tensor', /5 dimensions/);
    await rejects(tensor([33n], 2, 0n, 64), 'bad-tensor', /rows of 33 elements, not a multiple of the Q4_0 block size 32/);
    await rejects(tensor([4n], 0, 8n, 64), 'bad-tensor', /not a multiple of the alignment 32/);
    await rejects(tensor([4n], 0, 32n, 128), 'bad-tensor', /offset 32, expected 0/);
    await rejects(tensor([4n], 0, 1n << 40n), 'bad-tensor', /beyond the end/);
    await rejects(tensor([1000n], 0, 0n, 16), 'truncated', /tensor t needs bytes up to \d+ but the file has/);
    await rejects(tensor([1n << 30n, 1n << 30n], 0, 0n), 'bad-tensor', /absurd shape/);
    const header = await readGgufHeader(readAt(tensor([4n], 0, 0n, 16)), tensor([4n], 0, 0n, 16).length);
    assert.deepEqual(header.tensors, [{ name: 't', dims: [4], type: 0, offset: 0 }]);
  });

  test('escapeBytes writes bytes like a string literal', () => {
    assert.equal(escapeBytes(new Uint8Array([0x50, 0x4b, 3, 4])), 'PK\\x03\\x04');
    assert.equal(escapeBytes(new TextEncoder().encode('a"b\\')), 'a\\"b\\\\');
  });
});
