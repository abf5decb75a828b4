import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspectModelFile, ModelFileError, type ModelFileErrorCode } from '../../../server/engine/modelCheck';
import { buildTinyModel, TINY_CHAT_TEMPLATE } from '../../../server/tinymodel';
import { writeGguf, type GgufMetadataEntry, type GgufTensor } from '../../../server/tinymodel/ggufWriter';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'thinkscope-check-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function file(data: string | Uint8Array): Promise<string> {
  const path = join(dir, `model-${counter++}.gguf`);
  await fs.writeFile(path, data);
  return path;
}

/** Asserts the error code, and that the message quotes the path and matches `pattern`. */
async function rejects(path: string, code: ModelFileErrorCode, pattern: RegExp): Promise<void> {
  await assert.rejects(inspectModelFile(path), (error: unknown) => {
    assert.ok(error instanceof ModelFileError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.path, path);
    assert.ok(error.message.startsWith(`"${path}" `), error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

const u32 = (key: string, value: number): GgufMetadataEntry => ({ key, value: { type: 'uint32', value } });
const str = (key: string, value: string): GgufMetadataEntry => ({ key, value: { type: 'string', value } });

/** A minimal header for architecture `arch` with the given extra or replaced entries. */
function header(arch: string, changes: Record<string, GgufMetadataEntry | null> = {}, tensors: GgufTensor[] = []): Uint8Array {
  const base: GgufMetadataEntry[] = [
    str('general.architecture', arch),
    u32(`${arch}.context_length`, 4096),
    u32(`${arch}.embedding_length`, 64),
    u32(`${arch}.block_count`, 2),
    u32(`${arch}.feed_forward_length`, 256),
    u32(`${arch}.attention.head_count`, 4),
    { key: 'tokenizer.ggml.tokens', value: { type: 'string[]', value: ['<unk>', 'a', 'b'] } },
  ];
  const entries = base.filter((e) => !(e.key in changes));
  for (const entry of Object.values(changes)) if (entry) entries.push(entry);
  return writeGguf(entries, tensors);
}

describe('inspectModelFile', () => {
  test('describes a good file', async () => {
    const path = await file(buildTinyModel({ seed: 0 }));
    const info = await inspectModelFile(path);
    assert.equal(info.path, path);
    assert.equal(info.sizeBytes, (await fs.stat(path)).size);
    assert.equal(info.ggufVersion, 3);
    assert.equal(info.architecture, 'llama');
    assert.equal(info.name, 'ThinkScope tiny reasoning model');
    assert.deepEqual(
      [info.contextLength, info.blockCount, info.embeddingLength, info.feedForwardLength, info.headCount],
      [2048, 2, 64, 256, 4],
    );
    assert.equal(info.chatTemplate, TINY_CHAT_TEMPLATE);
    assert.equal(info.fileType, 0);
    assert.equal(info.tensorCount, 21);
    assert.ok(info.vocabularySize > 1000);
    assert.ok(info.metadataKeys.includes('tokenizer.ggml.add_space_prefix'));
    assert.equal(info.metadata['tokenizer.ggml.add_space_prefix'], false);
    assert.deepEqual(info.metadata['tokenizer.ggml.tokens'], { array: 'string', length: info.vocabularySize });
    const f16 = await inspectModelFile(await file(buildTinyModel({ seed: 1, fileType: 'f16' })));
    assert.equal(f16.fileType, 1);
  });

  test('a missing file, a directory', async () => {
    await rejects(join(dir, 'nothing-here.gguf'), 'not-found', /does not exist/);
    await rejects(join(dir, 'no-dir', 'm.gguf'), 'not-found', /does not exist/);
    await rejects(dir, 'not-a-file', /is a directory, not a model file/);
  });

  test('files that are not GGUF say what they start with', async () => {
    const zip = await file(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]));
    await assert.rejects(inspectModelFile(zip), {
      message: `"${zip}" is not a GGUF model file (it starts with "PK\\x03\\x04", expected "GGUF")`,
    });
    await rejects(zip, 'not-gguf', /PK/);
    await rejects(await file('{"model": "llama"}'), 'not-gguf', /starts with "\{\\"mo", expected "GGUF"/);
    await rejects(await file(''), 'not-gguf', /it is empty/);
  });

  test('a truncated GGUF: in the metadata, in the tensor infos, in the tensor data', async () => {
    const bytes = buildTinyModel({ seed: 0 });
    await rejects(await file(bytes.subarray(0, 2000)), 'truncated', /cut short/);
    await rejects(await file(bytes.subarray(0, 40_000)), 'truncated', /cut short/);
    await rejects(await file(bytes.subarray(0, bytes.length - 1000)), 'truncated', /tensor blk\.1\.ffn_down\.weight needs bytes up to/);
  });

  test('GGUF version 1 and big-endian files', async () => {
    const bytes = buildTinyModel({ seed: 0 }).slice();
    new DataView(bytes.buffer).setUint32(4, 1, true);
    await rejects(await file(bytes), 'unsupported-version', /GGUF version 1; only versions 2 and 3/);
    new DataView(bytes.buffer).setUint32(4, 3, false);
    await rejects(await file(bytes), 'unsupported-version', /big-endian/);
  });

  test('a llama file without llama.feed_forward_length or llama.attention.head_count', async () => {
    const noFf = await file(buildTinyModel({ omitMetadataKeys: ['llama.feed_forward_length'] }));
    await assert.rejects(inspectModelFile(noFf), {
      message: `"${noFf}" is missing the metadata key llama.feed_forward_length that architecture "llama" requires`,
    });
    await rejects(noFf, 'missing-metadata', /llama\.feed_forward_length/);
    const noHeads = await file(buildTinyModel({ omitMetadataKeys: ['llama.attention.head_count'] }));
    await rejects(noHeads, 'missing-metadata', /llama\.attention\.head_count that architecture "llama" requires/);
    await rejects(
      await file(header('qwen3', { 'qwen3.attention.head_count': null })),
      'missing-metadata',
      /qwen3\.attention\.head_count that architecture "qwen3" requires/,
    );
  });

  test('other required metadata: architecture, basic sizes, vocabulary', async () => {
    await rejects(await file(buildTinyModel({ omitMetadataKeys: ['general.architecture'] })), 'missing-metadata', /general\.architecture/);
    await rejects(await file(buildTinyModel({ omitMetadataKeys: ['llama.context_length'] })), 'missing-metadata', /llama\.context_length/);
    await rejects(await file(buildTinyModel({ omitMetadataKeys: ['llama.block_count'] })), 'missing-metadata', /llama\.block_count/);
    await rejects(await file(buildTinyModel({ omitMetadataKeys: ['tokenizer.ggml.tokens'] })), 'missing-metadata', /tokenizer\.ggml\.tokens/);
  });

  test('architectures outside the attention families need only the basic sizes', async () => {
    const info = await inspectModelFile(
      await file(header('mamba', { 'mamba.feed_forward_length': null, 'mamba.attention.head_count': null })),
    );
    assert.equal(info.architecture, 'mamba');
    assert.equal(info.feedForwardLength, null);
  });

  test('values llama.cpp would abort on', async () => {
    await rejects(await file(header('llama', { 'llama.block_count': u32('llama.block_count', 0) })), 'bad-metadata', /block_count = 0/);
    await rejects(await file(header('llama', { 'llama.block_count': u32('llama.block_count', 100_000) })), 'bad-metadata', /1 to 512/);
    await rejects(
      await file(header('llama', { 'llama.rope.scaling.type': str('llama.rope.scaling.type', 'warp') })),
      'bad-metadata',
      /unknown rope scaling type "warp"/,
    );
    await rejects(
      await file(header('qwen3moe', { e: u32('qwen3moe.expert_count', 8), u: u32('qwen3moe.expert_used_count', 9) })),
      'bad-metadata',
      /uses 9 experts per token but has only 8/,
    );
    await rejects(await file(header('llama', { 'llama.attention.head_count': u32('llama.attention.head_count', 0) })), 'bad-metadata', /head_count = 0/);
    const dup = { key: 'tokenizer.ggml.tokens', value: { type: 'string[]' as const, value: ['<unk>', 'a', 'a'] } };
    await rejects(await file(header('llama', { 'tokenizer.ggml.tokens': dup })), 'bad-metadata', /token "a" twice in its vocabulary \(ids 1 and 2\)/);
    const scores = { key: 'tokenizer.ggml.scores', value: { type: 'float32[]' as const, value: [0, 0] } };
    await rejects(await file(header('llama', { s: scores })), 'bad-metadata', /2 entries in tokenizer\.ggml\.scores for 3 tokens/);
    await rejects(
      await file(header('llama', { 'llama.context_length': str('llama.context_length', '4096') })),
      'bad-metadata',
      /stores llama\.context_length as string, expected an integer/,
    );
    const perLayer = { key: 'llama.attention.head_count', value: { type: 'int32[]' as const, value: [4, 4, 4] } };
    await rejects(await file(header('llama', { 'llama.attention.head_count': perLayer })), 'bad-metadata', /3 values in llama\.attention\.head_count but 2 layers/);
    const goodPerLayer = { key: 'llama.attention.head_count', value: { type: 'int32[]' as const, value: [4, 8] } };
    assert.equal((await inspectModelFile(await file(header('llama', { 'llama.attention.head_count': goodPerLayer })))).headCount, null);
  });

  test('absurd lengths are refused without allocating them', async () => {
    // The value of general.name claims 2^62 bytes.
    const bytes = header('llama', { 'general.name': str('general.name', 'abcd') });
    const at = Buffer.from(bytes).indexOf('general.name') + 'general.name'.length + 4;
    new DataView(bytes.buffer).setBigUint64(at, 1n << 62n, true);
    await rejects(await file(bytes), 'bad-metadata', /4611686018427387904 bytes, more than the \d+-byte limit/);
    // The vocabulary claims 2^40 tokens.
    const vocab = header('llama');
    const arrayAt = Buffer.from(vocab).indexOf('tokenizer.ggml.tokens') + 'tokenizer.ggml.tokens'.length + 8;
    new DataView(vocab.buffer).setBigUint64(arrayAt, 1n << 40n, true);
    await rejects(await file(vocab), 'bad-metadata', /declares 1099511627776 items in metadata key tokenizer\.ggml\.tokens/);
  });

  test('tensor infos must fit in the file', async () => {
    const tensor = (name: string, n: number): GgufTensor => ({ name, dims: [n], type: 'f32', data: new Float32Array(n) });
    const good = header('llama', {}, [tensor('a', 8), tensor('b', 8)]);
    assert.equal((await inspectModelFile(await file(good))).tensorCount, 2);
    // Move tensor b's offset out of the file.
    const offsetAt = Buffer.from(good).lastIndexOf(Buffer.from([0x01, 0, 0, 0, 0, 0, 0, 0, 0x62])) + 9 + 4 + 8 + 4;
    const far = good.slice();
    new DataView(far.buffer).setBigUint64(offsetAt, 1n << 41n, true);
    await rejects(await file(far), 'bad-tensor', /places tensor b at offset 2199023255552, beyond the end/);
  });

  test('reads only the header of a large file', async () => {
    // One f32 tensor of 2^28 elements (1 GiB), stored sparsely.
    const n = 1 << 28;
    const bytes = writeGguf(
      [str('general.architecture', 'llama'), u32('llama.context_length', 8), u32('llama.embedding_length', 8),
        u32('llama.block_count', 1), u32('llama.feed_forward_length', 8), u32('llama.attention.head_count', 1),
        { key: 'tokenizer.ggml.tokens', value: { type: 'string[]', value: ['a'] } }],
      [{ name: 'big', dims: [1], type: 'f32', data: new Float32Array(1) }],
    );
    // Patch the tensor's first dimension from 1 to 2^28 and extend the file to fit it.
    const dimAt = Buffer.from(bytes).indexOf('big') + 3 + 4;
    new DataView(bytes.buffer).setBigUint64(dimAt, BigInt(n), true);
    const path = await file(bytes);
    const dataOffset = bytes.length - 32;
    await fs.truncate(path, dataOffset + 4 * n);
    const started = performance.now();
    const info = await inspectModelFile(path);
    assert.equal(info.sizeBytes, dataOffset + 4 * n);
    assert.ok(performance.now() - started < 2000);
    await fs.truncate(path, dataOffset + 4 * n - 1);
    await rejects(path, 'truncated', /tensor big needs bytes up to \d+ but the file has \d+/);
  });
});
