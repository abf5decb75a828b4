/**
 * The weights of the tiny model: a llama network whose first layer is set by hand so that its
 * output looks like a reasoning trace and exercises budget forcing, with small seeded random
 * values everywhere else.
 *
 * Residual stream (64 dimensions):
 * - 0 `ONE`: always 1, so column 0 of `output.weight` is a per-token logit bias.
 * - 1 `CLOCK`: about 1 while thinking is young, falling to 0 about a hundred tokens after
 *   `<think>`, or some thirty tokens after an injected "Wait" (attention head 0).
 * - 2 `ANSWER`: 1 once `</think>` is in the context (head 1).
 * - 3 `EARLY`: like CLOCK but falls after about fifty tokens and ignores "Wait" (head 2).
 * - 4–7: markers in the token embeddings: `<think>`, "Wait", `</think>`, attention sinks (`<s>`,
 *   `<|im_start|>`).
 * - 8–63: a direction per context class (bigrams.ts), orthonormal, so `output.weight` maps each
 *   class to its row of bigram logits exactly.
 * Every embedding row has mean square 1, so RMS normalisation leaves it unchanged.
 *
 * The clocks: the head's query is constant; RoPE makes the score of `<think>` fall with distance
 * (a slow rotary pair) and that of "Wait" fall faster (a quicker pair); the sinks score a
 * constant and all other tokens score low. The head averages "is `<think>` or Wait" under that
 * attention. Head 1 scores `</think>` high whatever its distance.
 *
 * The output layer adds to the bigram logits: a phase preference per word (opening words while
 * EARLY is high, reflecting ones while only CLOCK is, concluding ones after), `</think>` held back
 * by CLOCK (so thinking ends by itself after a while, and an injected "Wait" buys some thirty
 * tokens more), and in the answer (ANSWER) the answer's words, no `</think>`, and end of sequence
 * after the final full stop. Feed-forward units 0 and 1 of layer 0 clear CLOCK and EARLY in the
 * answer, so an early forced end still gets a plain answer. Head 3 attends uniformly and mixes a
 * random projection of the whole context back into the class directions, so different prompts
 * take somewhat different paths.
 */
import type { BigramTable } from './bigrams';
import type { Rng } from './prng';
import { SPACE_MARKER, type Vocabulary } from './vocabulary';

/** The architecture of the tiny model. */
export const TINY_ARCHITECTURE = {
  contextLength: 2048,
  embeddingLength: 64,
  blockCount: 2,
  feedForwardLength: 256,
  headCount: 4,
  headCountKv: 4,
  ropeFreqBase: 1_000_000,
  rmsEpsilon: 1e-5,
} as const;

const N_EMBD = TINY_ARCHITECTURE.embeddingLength;
const N_FF = TINY_ARCHITECTURE.feedForwardLength;
const HEAD_DIM = N_EMBD / TINY_ARCHITECTURE.headCount;

/** Residual-stream dimensions (see the module comment). */
export const Dim = {
  ONE: 0,
  CLOCK: 1,
  ANSWER: 2,
  EARLY: 3,
  MARK_THINK: 4,
  MARK_WAIT: 5,
  MARK_END: 6,
  MARK_SINK: 7,
  IDENTITY: 8,
} as const;
const IDENTITY_DIMS = N_EMBD - Dim.IDENTITY;

/** Rotary pairs used by the hand-set heads (pair p rotates by 1e6^(-p/8) radians per token). */
const PAIR_WAIT = 2; // 0.0316 rad/token
const PAIR_THINK = 3; // 0.0056 rad/token
const PAIR_CONST = 7; // 5.6e-6 rad/token: constant over the whole context

/** Query value on the hand-set pairs: with the 1/sqrt(16) attention scale, a score equals the key value. */
const QUERY = Math.sqrt(HEAD_DIM);

/** Attention scores (key values) of the hand-set heads. */
export const ATTENTION = {
  sink: 0,
  other: -7,
  thinkRotating: 32,
  thinkConstant: -27,
  waitRotating: 11.7,
  waitConstant: -7.7,
  earlyRotating: 100,
  earlyConstant: -95,
  thinkEnd: 10,
} as const;

/** Output-layer settings that shape the trace. */
export const OUTPUT = {
  /** Bias of tokens the corpus never produces (byte tokens, word fragments…). */
  unproducibleBias: -14,
  /** Bias of special tokens the model must never produce itself. */
  forbiddenBias: -30,
  /** `</think>`: bias, weight of CLOCK (pushes it down while thinking is young), weight of ANSWER. */
  thinkEndBias: 6,
  thinkEndClock: -24,
  thinkEndAnswer: -30,
  /** End of sequence: impossible while thinking, likely in the answer. */
  eosBias: -16,
  eosAnswer: 26,
  /** Logit bonus of a word in the thinking phase it belongs to (see BigramTable.phaseAffinity). */
  phaseGain: 5,
  /** Logit penalty, in the answer, of words that do not belong to answers. */
  answerGain: 8,
  /** Extra CLOCK weight of the newline that closes thinking, so it comes only when thinking is done. */
  closingNewlineClock: -10,
  /** Steepness of the gate that clears the thinking clocks in the answer. */
  resetGate: 20,
  /** Scale of the context mix (head 3) and of the random weights elsewhere. */
  mixGain: 1,
  noise: 0.02,
} as const;

/** One tensor's values before storage: ggml-order dims (dims[0] is the row length). */
export interface TensorValues {
  name: string;
  dims: readonly number[];
  data: Float32Array;
}

/** Generates every tensor of the tiny model. */
export function generateWeights(vocab: Vocabulary, bigrams: BigramTable, rng: Rng): TensorValues[] {
  const nVocab = vocab.tokens.length;
  const classDirections = orthonormalVectors(bigrams.classes.length, IDENTITY_DIMS, rng);

  const embedding = new Matrix(nVocab, N_EMBD);
  for (let t = 0; t < nVocab; t++) {
    const markers = markerDims(vocab, t);
    embedding.set(t, Dim.ONE, 1);
    for (const m of markers) embedding.set(t, m, 1);
    const c = bigrams.classOf[t]!;
    const direction = c >= 0 ? classDirections[c]! : unitVector(IDENTITY_DIMS, rng);
    const scale = Math.sqrt(N_EMBD - 1 - markers.length);
    for (let i = 0; i < IDENTITY_DIMS; i++) embedding.set(t, Dim.IDENTITY + i, direction[i]! * scale);
  }

  const output = outputMatrix(vocab, bigrams, classDirections);
  const tensors: TensorValues[] = [
    { name: 'token_embd.weight', dims: [N_EMBD, nVocab], data: embedding.data },
    { name: 'output_norm.weight', dims: [N_EMBD], data: new Float32Array(N_EMBD).fill(1) },
    { name: 'output.weight', dims: [N_EMBD, nVocab], data: output.data },
  ];
  for (let layer = 0; layer < TINY_ARCHITECTURE.blockCount; layer++) {
    tensors.push(...layerTensors(layer, rng));
  }
  return tensors;
}

/** Marker dimensions set in a token's embedding. */
function markerDims(vocab: Vocabulary, id: number): number[] {
  const s = vocab.special;
  const text = vocab.tokens[id]!;
  if (id === s.thinkStart) return [Dim.MARK_THINK];
  if (id === s.thinkEnd) return [Dim.MARK_END];
  if (id === s.bos || id === s.imStart) return [Dim.MARK_SINK];
  if (text === 'Wait' || text === `${SPACE_MARKER}Wait`) return [Dim.MARK_WAIT];
  return [];
}

function outputMatrix(vocab: Vocabulary, bigrams: BigramTable, classDirections: readonly Float64Array[]): Matrix {
  const nVocab = vocab.tokens.length;
  const s = vocab.special;
  const out = new Matrix(nVocab, N_EMBD);
  const identityScale = Math.sqrt(N_EMBD - 1);
  const forbidden = new Set([s.unk, s.bos, s.thinkStart, s.imStart, s.imEnd]);
  const newline = vocab.idOf('\n');

  for (let j = 0; j < nVocab; j++) {
    if (forbidden.has(j)) {
      out.set(j, Dim.ONE, OUTPUT.forbiddenBias);
      continue;
    }
    if (!bigrams.producible.has(j)) {
      out.set(j, Dim.ONE, OUTPUT.unproducibleBias);
      continue;
    }
    // Bigram logits: class c's direction times L[c][j], so a context of class c yields L[c][j].
    for (let c = 0; c < bigrams.classes.length; c++) {
      const weight = bigrams.logits[c]![j]! / identityScale;
      const direction = classDirections[c]!;
      for (let i = 0; i < IDENTITY_DIMS; i++) out.add(j, Dim.IDENTITY + i, weight * direction[i]!);
    }
    if (j === s.thinkEnd) {
      out.set(j, Dim.ONE, OUTPUT.thinkEndBias);
      out.set(j, Dim.CLOCK, OUTPUT.thinkEndClock);
      out.set(j, Dim.ANSWER, OUTPUT.thinkEndAnswer);
    } else if (j === s.eos) {
      out.set(j, Dim.ONE, OUTPUT.eosBias);
      out.set(j, Dim.ANSWER, OUTPUT.eosAnswer);
    } else {
      // Phase preference, linear in the channels: EARLY ≈ 1 early, CLOCK ≈ 1 early and in the
      // middle, both ≈ 0 late; ANSWER = 1 in the answer.
      const f = bigrams.phaseAffinity.get(j)!;
      const g = OUTPUT.phaseGain;
      out.set(j, Dim.ONE, g * f.late);
      out.set(j, Dim.CLOCK, g * (f.middle - f.late));
      out.set(j, Dim.EARLY, g * (f.early - f.middle));
      // In the answer the late-phase bias is replaced by the answer-phase one.
      out.set(j, Dim.ANSWER, g * (f.answer - f.late) + OUTPUT.answerGain * (f.answer - 1));
      if (j === newline) out.add(j, Dim.CLOCK, OUTPUT.closingNewlineClock);
    }
  }
  return out;
}

function layerTensors(layer: number, rng: Rng): TensorValues[] {
  const q = randomMatrix(N_EMBD, N_EMBD, OUTPUT.noise, rng);
  const k = randomMatrix(N_EMBD, N_EMBD, OUTPUT.noise, rng);
  const v = randomMatrix(N_EMBD, N_EMBD, OUTPUT.noise, rng);
  const o = randomMatrix(N_EMBD, N_EMBD, OUTPUT.noise, rng);
  const gate = randomMatrix(N_FF, N_EMBD, OUTPUT.noise, rng);
  const up = randomMatrix(N_FF, N_EMBD, OUTPUT.noise, rng);
  const down = randomMatrix(N_EMBD, N_FF, OUTPUT.noise, rng);
  if (layer === 0) {
    setFirstLayerHeads(q, k, v, o, rng);
    setClockReset(gate, up, down);
  }
  const p = `blk.${layer}.`;
  const ones = (): Float32Array => new Float32Array(N_EMBD).fill(1);
  return [
    { name: `${p}attn_norm.weight`, dims: [N_EMBD], data: ones() },
    { name: `${p}attn_q.weight`, dims: [N_EMBD, N_EMBD], data: q.data },
    { name: `${p}attn_k.weight`, dims: [N_EMBD, N_EMBD], data: k.data },
    { name: `${p}attn_v.weight`, dims: [N_EMBD, N_EMBD], data: v.data },
    { name: `${p}attn_output.weight`, dims: [N_EMBD, N_EMBD], data: o.data },
    { name: `${p}ffn_norm.weight`, dims: [N_EMBD], data: ones() },
    { name: `${p}ffn_gate.weight`, dims: [N_EMBD, N_FF], data: gate.data },
    { name: `${p}ffn_up.weight`, dims: [N_EMBD, N_FF], data: up.data },
    { name: `${p}ffn_down.weight`, dims: [N_FF, N_EMBD], data: down.data },
  ];
}

/** Sets heads 0 (thinking clock), 1 (answer flag), 2 (early-phase clock) and 3 (context mix) of the first layer. */
function setFirstLayerHeads(q: Matrix, k: Matrix, v: Matrix, o: Matrix, rng: Rng): void {
  const A = ATTENTION;
  for (const head of [0, 1, 2, 3]) {
    clearHead(q, k, v, head);
    for (let r = 0; r < N_EMBD; r++) for (let i = 0; i < HEAD_DIM; i++) o.set(r, head * HEAD_DIM + i, 0);
  }

  // Head 0: thinking clock.
  const h0 = 0;
  q.set(h0 + 2 * PAIR_THINK, Dim.ONE, QUERY);
  q.set(h0 + 2 * PAIR_WAIT, Dim.ONE, QUERY);
  q.set(h0 + 2 * PAIR_CONST, Dim.ONE, QUERY);
  k.set(h0 + 2 * PAIR_THINK, Dim.MARK_THINK, A.thinkRotating);
  k.set(h0 + 2 * PAIR_WAIT, Dim.MARK_WAIT, A.waitRotating);
  setConstantKey(k, h0, { sink: A.sink, think: A.thinkConstant, wait: A.waitConstant });
  v.set(h0, Dim.MARK_THINK, 1);
  v.set(h0, Dim.MARK_WAIT, 1);
  o.set(Dim.CLOCK, h0, 1);

  // Head 1: answer flag.
  const h1 = HEAD_DIM;
  q.set(h1 + 2 * PAIR_CONST, Dim.ONE, QUERY);
  setConstantKey(k, h1, { sink: A.sink, end: A.thinkEnd });
  v.set(h1, Dim.MARK_END, 1);
  o.set(Dim.ANSWER, h1, 1);

  // Head 2: early-phase clock, like head 0 but faster and blind to "Wait".
  const h2 = 2 * HEAD_DIM;
  q.set(h2 + 2 * PAIR_THINK, Dim.ONE, QUERY);
  q.set(h2 + 2 * PAIR_CONST, Dim.ONE, QUERY);
  k.set(h2 + 2 * PAIR_THINK, Dim.MARK_THINK, A.earlyRotating);
  setConstantKey(k, h2, { sink: A.sink, think: A.earlyConstant });
  v.set(h2, Dim.MARK_THINK, 1);
  o.set(Dim.EARLY, h2, 1);

  // Head 3: uniform attention (zero query and key) over a random projection of the context.
  const h3 = 3 * HEAD_DIM;
  for (let i = 0; i < HEAD_DIM; i++) {
    for (let d = 0; d < IDENTITY_DIMS; d++) {
      v.set(h3 + i, Dim.IDENTITY + d, rng.normal() / Math.sqrt(IDENTITY_DIMS));
      o.set(Dim.IDENTITY + d, h3 + i, (OUTPUT.mixGain * rng.normal()) / Math.sqrt(HEAD_DIM));
    }
  }
}

/**
 * Feed-forward units 0 and 1 of the first layer clear CLOCK and EARLY once ANSWER is 1, so the
 * thinking phases do not leak into the answer (for example after an early forced end). Unit i
 * computes silu(g·(ANSWER − ½)) · channel, which is g/2 · channel in the answer and about 0 while
 * thinking, and subtracts it from the channel.
 */
function setClockReset(gate: Matrix, up: Matrix, down: Matrix): void {
  const g = OUTPUT.resetGate;
  const silu = (x: number): number => x / (1 + Math.exp(-x));
  [Dim.CLOCK, Dim.EARLY].forEach((channel, unit) => {
    for (let c = 0; c < N_EMBD; c++) {
      gate.set(unit, c, 0);
      up.set(unit, c, 0);
      down.set(c, unit, 0);
    }
    gate.set(unit, Dim.ANSWER, g);
    gate.set(unit, Dim.ONE, -g / 2);
    up.set(unit, channel, 1);
    down.set(channel, unit, -1 / silu(g / 2));
  });
}

/** The constant-pair key of a head: `other` for ordinary tokens, the given scores for marked ones. */
function setConstantKey(
  k: Matrix,
  headOffset: number,
  scores: { sink: number; think?: number; wait?: number; end?: number },
): void {
  const row = headOffset + 2 * PAIR_CONST;
  const other = ATTENTION.other;
  k.set(row, Dim.ONE, other);
  k.set(row, Dim.MARK_SINK, scores.sink - other);
  k.set(row, Dim.MARK_THINK, (scores.think ?? other) - other);
  k.set(row, Dim.MARK_WAIT, (scores.wait ?? other) - other);
  k.set(row, Dim.MARK_END, (scores.end ?? other) - other);
}

function clearHead(q: Matrix, k: Matrix, v: Matrix, head: number): void {
  for (let r = head * HEAD_DIM; r < (head + 1) * HEAD_DIM; r++) {
    for (let c = 0; c < N_EMBD; c++) {
      q.set(r, c, 0);
      k.set(r, c, 0);
      v.set(r, c, 0);
    }
  }
}

/** `count` orthonormal vectors of length `dims` (Gram–Schmidt on seeded Gaussian vectors). */
function orthonormalVectors(count: number, dims: number, rng: Rng): Float64Array[] {
  if (count > dims) throw new Error(`Cannot make ${count} orthonormal vectors in ${dims} dimensions`);
  const out: Float64Array[] = [];
  while (out.length < count) {
    const v = new Float64Array(dims);
    for (let i = 0; i < dims; i++) v[i] = rng.normal();
    for (const u of out) {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += v[i]! * u[i]!;
      for (let i = 0; i < dims; i++) v[i]! -= dot * u[i]!;
    }
    const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    if (norm < 1e-6) continue; // numerically dependent: draw again
    for (let i = 0; i < dims; i++) v[i]! /= norm;
    out.push(v);
  }
  return out;
}

function unitVector(dims: number, rng: Rng): Float64Array {
  return orthonormalVectors(1, dims, rng)[0]!;
}

function randomMatrix(rows: number, cols: number, scale: number, rng: Rng): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = scale * rng.normal();
  return m;
}

/** A row-major float32 matrix: `rows` rows of `cols` values (ggml dims [cols, rows]). */
class Matrix {
  readonly data: Float32Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.data = new Float32Array(rows * cols);
  }
  set(r: number, c: number, value: number): void {
    this.data[r * this.cols + c] = value;
  }
  add(r: number, c: number, value: number): void {
    this.data[r * this.cols + c] += value;
  }
}
