import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gguf } from '@huggingface/gguf';
import { Template } from '@huggingface/jinja';
import {
  buildTinyModel,
  DEFAULT_TINY_MODEL_FILE,
  ensureDefaultModel,
  TINY_ARCHITECTURE,
  TINY_CHAT_TEMPLATE,
  tinyChatPrompt,
  writeTinyModel,
} from '../../../server/tinymodel';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'thinkscope-tiny-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('buildTinyModel', () => {
  test('the same seed gives the same bytes; another seed other bytes', () => {
    const a = buildTinyModel({ seed: 0 });
    assert.ok(Buffer.from(a).equals(Buffer.from(buildTinyModel({ seed: 0 }))));
    assert.ok(Buffer.from(buildTinyModel()).equals(Buffer.from(a)), 'seed 0 is the default');
    const b = buildTinyModel({ seed: 1 });
    assert.equal(b.length, a.length);
    assert.ok(!Buffer.from(a).equals(Buffer.from(b)));
  });

  test('f16 weights take about half the space', () => {
    const f32 = buildTinyModel({ seed: 0 });
    const f16 = buildTinyModel({ seed: 0, fileType: 'f16' });
    assert.ok(f16.length < f32.length * 0.55 && f16.length > f32.length * 0.45, `${f16.length} vs ${f32.length}`);
    assert.ok(f32.length < 2_000_000, `${f32.length} bytes`);
  });

  test('parses back with @huggingface/gguf with the expected metadata and tensor shapes', async () => {
    const path = join(dir, 'parse.gguf');
    await writeTinyModel(path, { seed: 3, fileType: 'f16' });
    const { metadata, tensorInfos } = await gguf(path, { allowLocalFile: true });
    const m = metadata as unknown as Record<string, unknown>;
    assert.equal(m['general.architecture'], 'llama');
    assert.equal(m['llama.context_length'], TINY_ARCHITECTURE.contextLength);
    assert.equal(m['llama.embedding_length'], 64);
    assert.equal(m['llama.block_count'], 2);
    assert.equal(m['llama.feed_forward_length'], 256);
    assert.equal(m['llama.attention.head_count'], 4);
    assert.equal(m['general.file_type'], 1);
    assert.equal(m['tokenizer.ggml.model'], 'llama');
    assert.equal(m['tokenizer.ggml.add_space_prefix'], false);
    assert.equal(m['tokenizer.ggml.add_bos_token'], true);
    assert.equal(m['tokenizer.chat_template'], TINY_CHAT_TEMPLATE);
    const tokens = m['tokenizer.ggml.tokens'] as string[];
    assert.equal(m['llama.vocab_size'], tokens.length);
    assert.equal((m['tokenizer.ggml.scores'] as number[]).length, tokens.length);
    assert.equal(tokens[m['tokenizer.ggml.eos_token_id'] as number], '</s>');
    assert.equal(tokens[m['tokenizer.ggml.bos_token_id'] as number], '<s>');

    const shape = (name: string): number[] | undefined =>
      tensorInfos.find((t) => t.name === name)?.shape.map(Number);
    assert.equal(tensorInfos.length, 3 + 2 * 9);
    assert.deepEqual(shape('token_embd.weight'), [64, tokens.length]);
    assert.deepEqual(shape('output.weight'), [64, tokens.length]);
    assert.deepEqual(shape('blk.1.ffn_down.weight'), [256, 64]);
    assert.deepEqual(shape('blk.0.attn_norm.weight'), [64]);
    assert.equal(tensorInfos.find((t) => t.name === 'blk.0.attn_q.weight')?.dtype, 1);
    assert.equal(tensorInfos.find((t) => t.name === 'output_norm.weight')?.dtype, 0, 'norms stay f32');
  });

  test('omitMetadataKeys leaves keys out (for tests of the model checker)', async () => {
    const path = join(dir, 'broken.gguf');
    await writeTinyModel(path, { omitMetadataKeys: ['llama.feed_forward_length'] });
    const { metadata } = await gguf(path, { allowLocalFile: true });
    assert.equal((metadata as unknown as Record<string, unknown>)['llama.feed_forward_length'], undefined);
    assert.equal(metadata['general.architecture'], 'llama');
  });
});

describe('the chat template', () => {
  test('renders a question with a generation prompt that opens thinking', () => {
    const rendered = new Template(TINY_CHAT_TEMPLATE).render({
      messages: [{ role: 'user', content: 'What is 3 + 4?' }],
      add_generation_prompt: true,
    });
    assert.equal(rendered, '<|im_start|>user\nWhat is 3 + 4?<|im_end|>\n<|im_start|>assistant\n<think>\n');
    assert.equal(tinyChatPrompt('What is 3 + 4?'), rendered);
  });
});

describe('ensureDefaultModel', () => {
  test('generates the default model once and reuses it', async () => {
    const cache = join(dir, 'cache-a');
    const path = await ensureDefaultModel(cache);
    assert.equal(path, join(cache, DEFAULT_TINY_MODEL_FILE));
    assert.ok(Buffer.from(await fs.readFile(path)).equals(Buffer.from(buildTinyModel({ seed: 0 }))));
    const first = await fs.stat(path);
    assert.equal(await ensureDefaultModel(cache), path);
    const second = await fs.stat(path);
    assert.equal(second.ino, first.ino, 'an intact file is not rewritten');
  });

  test('replaces a damaged file', async () => {
    const cache = join(dir, 'cache-b');
    const path = await ensureDefaultModel(cache);
    await fs.writeFile(path, 'GGUF garbage');
    await ensureDefaultModel(cache);
    assert.ok(Buffer.from(await fs.readFile(path)).equals(Buffer.from(buildTinyModel({ seed: 0 }))));
  });

  test('concurrent calls, in this process and in others, all get a complete file', async () => {
    const cache = join(dir, 'cache-c');
    const index = fileURLToPath(new URL('../../../server/tinymodel/index.ts', import.meta.url));
    const script = `import { ensureDefaultModel } from ${JSON.stringify(index)}; process.stdout.write(await ensureDefaultModel(process.argv[1]));`;
    const child = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, cache], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
      });
    const paths = await Promise.all([child(), child(), ensureDefaultModel(cache), ensureDefaultModel(cache)]);
    assert.deepEqual(new Set(paths), new Set([join(cache, DEFAULT_TINY_MODEL_FILE)]));
    assert.ok(Buffer.from(await fs.readFile(paths[0]!)).equals(Buffer.from(buildTinyModel({ seed: 0 }))));
    assert.deepEqual(await fs.readdir(cache), [DEFAULT_TINY_MODEL_FILE], 'no temporary files are left');
  });
});
