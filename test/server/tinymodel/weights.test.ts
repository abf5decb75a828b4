import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildBigramTable } from '../../../server/tinymodel/bigrams';
import { vocabularyWords } from '../../../server/tinymodel/corpus';
import { createRng } from '../../../server/tinymodel/prng';
import { buildVocabulary } from '../../../server/tinymodel/vocabulary';
import { Dim, generateWeights, TINY_ARCHITECTURE, type TensorValues } from '../../../server/tinymodel/weights';

const vocab = buildVocabulary(vocabularyWords());
const rng = createRng(0);
const bigrams = buildBigramTable(vocab, rng);
const tensors = generateWeights(vocab, bigrams, rng);
const byName = new Map(tensors.map((t) => [t.name, t]));
const row = (t: TensorValues, r: number): Float32Array => t.data.subarray(r * t.dims[0]!, (r + 1) * t.dims[0]!);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('generateWeights', () => {
  const n = TINY_ARCHITECTURE.embeddingLength;
  const embd = byName.get('token_embd.weight')!;

  test('has every llama tensor with ggml-order shapes', () => {
    const ff = TINY_ARCHITECTURE.feedForwardLength;
    const expected: [string, number[]][] = [
      ['token_embd.weight', [n, vocab.tokens.length]],
      ['output_norm.weight', [n]],
      ['output.weight', [n, vocab.tokens.length]],
    ];
    for (let l = 0; l < TINY_ARCHITECTURE.blockCount; l++) {
      expected.push(
        [`blk.${l}.attn_norm.weight`, [n]],
        [`blk.${l}.attn_q.weight`, [n, n]],
        [`blk.${l}.attn_k.weight`, [n, n]],
        [`blk.${l}.attn_v.weight`, [n, n]],
        [`blk.${l}.attn_output.weight`, [n, n]],
        [`blk.${l}.ffn_norm.weight`, [n]],
        [`blk.${l}.ffn_gate.weight`, [n, ff]],
        [`blk.${l}.ffn_up.weight`, [n, ff]],
        [`blk.${l}.ffn_down.weight`, [ff, n]],
      );
    }
    assert.deepEqual(tensors.map((t) => [t.name, t.dims]), expected);
    for (const t of tensors) assert.ok(t.data.every(Number.isFinite), t.name);
  });

  test('embedding dimension 0 is 1 and every row has mean square 1 (RMS norm leaves it alone)', () => {
    for (let t = 0; t < vocab.tokens.length; t++) {
      const r = row(embd, t);
      assert.equal(r[Dim.ONE], 1);
      assert.ok(Math.abs(dot(r, r) / n - 1) < 1e-5, `token ${t}`);
    }
  });

  test('context classes have orthogonal directions', () => {
    const ids = [vocab.idOf('Let'), vocab.idOf('\u2581the'), vocab.idOf('.'), vocab.idOf('7'), vocab.idOf('</think>')];
    const identity = (id: number): Float32Array => row(embd, id).subarray(Dim.IDENTITY);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        assert.ok(Math.abs(dot(identity(ids[i]!), identity(ids[j]!))) < 1e-3, `${i} ${j}`);
      }
    }
    // "Let" and "▁let" share a class, so they share a direction.
    assert.ok(dot(identity(vocab.idOf('Let')), identity(vocab.idOf('\u2581let'))) > 60);
  });

  test('column 0 of output.weight biases byte tokens and forbidden specials far down', () => {
    const out = byName.get('output.weight')!;
    const bias = (id: number): number => row(out, id)[Dim.ONE]!;
    assert.ok(bias(vocab.idOf('<0x41>')) <= -14);
    assert.ok(bias(vocab.special.thinkStart) <= -30);
    assert.ok(bias(vocab.special.imEnd) <= -30);
    // </think> is held back while the thinking clock runs and forbidden in the answer.
    const end = row(out, vocab.special.thinkEnd);
    assert.ok(end[Dim.CLOCK]! < 0);
    assert.ok(end[Dim.ANSWER]! < 0);
    // End of sequence is only possible once the answer flag is set.
    const eos = row(out, vocab.special.eos);
    assert.ok(eos[Dim.ONE]! < -10 && eos[Dim.ONE]! + eos[Dim.ANSWER]! > 0);
  });

  test('markers: <think>, "Wait", </think> and the attention sinks', () => {
    assert.equal(row(embd, vocab.special.thinkStart)[Dim.MARK_THINK], 1);
    assert.equal(row(embd, vocab.idOf('Wait'))[Dim.MARK_WAIT], 1);
    assert.equal(row(embd, vocab.idOf('\u2581Wait'))[Dim.MARK_WAIT], 1);
    assert.equal(row(embd, vocab.idOf('wait'))[Dim.MARK_WAIT], 0);
    assert.equal(row(embd, vocab.special.thinkEnd)[Dim.MARK_END], 1);
    assert.equal(row(embd, vocab.special.bos)[Dim.MARK_SINK], 1);
    assert.equal(row(embd, vocab.special.imStart)[Dim.MARK_SINK], 1);
  });
});
