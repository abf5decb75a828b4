import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeGguf, type GgufMetadataEntry } from '../../../server/tinymodel/ggufWriter';
import { readGgufHeader } from '../../../server/tinymodel/ggufReader';

const readAt = (bytes: Uint8Array) => async (buffer: Uint8Array, position: number) => {
  const chunk = bytes.subarray(position, position + buffer.length);
  buffer.set(chunk);
  return chunk.length;
};

describe('writeGguf', () => {
  const metadata: GgufMetadataEntry[] = [
    { key: 'general.architecture', value: { type: 'string', value: 'llama' } },
    { key: 'a.u32', value: { type: 'uint32', value: 4_000_000_000 } },
    { key: 'a.i32', value: { type: 'int32', value: -5 } },
    { key: 'a.f32', value: { type: 'float32', value: 0.5 } },
    { key: 'a.bool', value: { type: 'bool', value: true } },
    { key: 'a.strings', value: { type: 'string[]', value: ['x', 'é→', ''] } },
    { key: 'a.floats', value: { type: 'float32[]', value: [1, 2, 3] } },
    { key: 'a.ints', value: { type: 'int32[]', value: [-1, 7] } },
  ];

  test('starts with the magic and version 3', () => {
    const bytes = writeGguf(metadata, []);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'GGUF');
    assert.equal(new DataView(bytes.buffer).getUint32(4, true), 3);
  });

  test('metadata and tensors read back, each tensor aligned', async () => {
    const tensors = [
      { name: 'a', dims: [3], type: 'f32' as const, data: new Float32Array([1, 2, 3]) },
      { name: 'b', dims: [4, 2], type: 'f16' as const, data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]) },
      { name: 'c', dims: [5], type: 'f32' as const, data: new Float32Array(5).fill(-1) },
    ];
    const bytes = writeGguf(metadata, tensors, 32);
    const header = await readGgufHeader(readAt(bytes), bytes.length, { keepStringArrays: new Set(['a.strings']) });
    assert.equal(header.version, 3);
    assert.equal(header.metadata.get('a.u32'), 4_000_000_000);
    assert.equal(header.metadata.get('a.i32'), -5);
    assert.equal(header.metadata.get('a.f32'), 0.5);
    assert.equal(header.metadata.get('a.bool'), true);
    assert.deepEqual(header.metadata.get('a.strings'), { kind: 'array', itemType: 8, length: 3, strings: ['x', 'é→', ''] });
    assert.deepEqual(header.metadata.get('a.ints'), { kind: 'array', itemType: 5, length: 2 });
    assert.deepEqual(
      header.tensors.map((t) => [t.name, t.dims, t.type, t.offset]),
      [
        ['a', [3], 0, 0],
        ['b', [4, 2], 1, 32],
        ['c', [5], 0, 64],
      ],
    );
    assert.equal(header.dataOffset % 32, 0);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.equal(view.getFloat32(header.dataOffset + 4, true), 2);
    assert.equal(view.getUint16(header.dataOffset + 32, true), 0x3c00); // 1.0 in half precision
    assert.equal(view.getFloat32(header.dataOffset + 64 + 16, true), -1);
    assert.equal(bytes.length % 32, 0);
  });

  test('refuses duplicate keys, duplicate tensors and data that does not match the shape', () => {
    assert.throws(() => writeGguf([metadata[0]!, metadata[0]!], []), /Duplicate metadata key "general.architecture"/);
    const t = { name: 't', dims: [2], type: 'f32' as const, data: new Float32Array(2) };
    assert.throws(() => writeGguf([], [t, t]), /Duplicate tensor name "t"/);
    assert.throws(
      () => writeGguf([], [{ ...t, dims: [3] }]),
      /Tensor t has 2 values but its dimensions \[3\] need 3/,
    );
  });
});
