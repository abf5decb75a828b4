/**
 * Trace documents for tests and benchmarks: a small hand-written one that exercises every kind of
 * token and the common events, and large synthetic ones of any length.
 */
import type { TraceDocument, TraceToken } from '../../protocol/trace';

/** A small, complete, valid trace: thinking, a suppressed end with "Wait", a natural end, an answer. */
export function sampleTrace(): TraceDocument {
  const tok = (id: number, text: string, phase: TraceToken['phase'], logprob: number): TraceToken => ({
    id,
    text,
    logprob,
    entropy: 0.5,
    top: [
      { id, text, logprob },
      { id: id + 1, text: '?', logprob: logprob - 2 },
    ],
    source: 'model',
    phase,
  });
  const inserted = (id: number, text: string, source: 'injected' | 'forced', phase: TraceToken['phase']): TraceToken => ({
    id,
    text,
    logprob: null,
    entropy: null,
    top: [],
    source,
    phase,
  });
  return {
    format: 'thinkscope.trace',
    version: 1,
    id: '6f1c2a3e-0b7d-4a51-9c1e-2f6b8d9e0a11',
    createdAt: '2025-06-01T12:00:00.000Z',
    question: 'What is 2 + 2?',
    groundTruth: '4',
    prompt: '<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n<|im_start|>assistant\n<think>\n',
    model: {
      name: 'tiny-reasoner',
      path: '/models/tiny-reasoner.gguf',
      sha256: 'a'.repeat(64),
      engine: 'local',
      chatTemplate: 'chatml',
      backend: 'cpu',
    },
    sampling: { temperature: 0, topK: 0, topP: 1, seed: 42 },
    budget: {
      minThinkingTokens: 4,
      maxThinkingTokens: 64,
      ignoreEnd: null,
      extendWith: 'Wait',
      answerPrefix: 'Final Answer:',
      maxAnswerTokens: 32,
    },
    delimiters: { thinkStart: '<think>', thinkEnd: '</think>' },
    tokens: [
      tok(100, '2 + 2', 'thinking', -0.1),
      tok(101, ' is 4.', 'thinking', -0.2),
      inserted(102, ' Wait', 'injected', 'thinking'),
      tok(103, ', yes 4.', 'thinking', -0.3),
      tok(2, '</think>', 'answer', -0.05),
      inserted(104, '\n', 'forced', 'answer'),
      tok(105, '4', 'answer', -0.01),
    ],
    events: [
      {
        kind: 'suppressed-end',
        at: 2,
        wanted: { id: 2, text: '</think>', logprob: -0.7 },
        injected: ' Wait',
        thinkingTokens: 2,
      },
      { kind: 'natural-end', at: 4, wanted: { id: 2, text: '</think>', logprob: -0.05 }, thinkingTokens: 4 },
    ],
    thinkingTokens: 4,
    answerTokens: 3,
    answer: '4',
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: '0.1.0' },
    timing: { startedAt: '2025-06-01T12:00:00.000Z', durationMs: 12.5, promptTokens: 20, tokensPerSecond: 480 },
    tokenCounts: 'exact',
  };
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [' the', ' so', ' Wait', ',', ' 4', ' we', ' need', ' check', '.', '\n\n', ' x', ' =', ' é', ' 数', ' 🙂'];

/**
 * A valid trace of `tokens` tokens (90% thinking, then `</think>` and the answer), each with `top`
 * alternatives, an injected "Wait" every 500 tokens. Deterministic for a seed.
 */
export function syntheticTrace(tokens: number, options: { top?: number; seed?: number } = {}): TraceDocument {
  const topK = options.top ?? 5;
  const random = rng(options.seed ?? 1);
  const thinkingCount = Math.max(0, Math.floor(tokens * 0.9));
  const list: TraceToken[] = [];
  const events: TraceDocument['events'] = [];
  for (let i = 0; i < tokens; i++) {
    const phase = i < thinkingCount ? 'thinking' : 'answer';
    if (i === thinkingCount) {
      list.push({ id: 2, text: '</think>', logprob: -0.2, entropy: 0.9, top: [], source: 'model', phase: 'answer' });
      events.push({ kind: 'natural-end', at: i, wanted: { id: 2, text: '</think>', logprob: -0.2 }, thinkingTokens: i });
      continue;
    }
    if (phase === 'thinking' && i % 500 === 499) {
      list.push({ id: 7, text: ' Wait', logprob: null, entropy: null, top: [], source: 'injected', phase });
      events.push({ kind: 'suppressed-end', at: i, wanted: { id: 2, text: '</think>', logprob: -1.5 }, injected: ' Wait', thinkingTokens: i });
      continue;
    }
    const w = Math.floor(random() * WORDS.length);
    const logprob = -random() * 3;
    const top = [];
    for (let k = 0; k < topK; k++) {
      const alt = (w + k) % WORDS.length;
      top.push({ id: 1000 + alt, text: WORDS[alt]!, logprob: logprob - k * 0.5 });
    }
    list.push({ id: 1000 + w, text: WORDS[w]!, logprob, entropy: random() * 4, top, source: 'model', phase });
  }
  const answerText = list
    .filter((t) => t.phase === 'answer')
    .map((t) => t.text)
    .join('');
  const cut = answerText.lastIndexOf('</think>');
  const base = sampleTrace();
  return {
    ...base,
    id: `synthetic-${tokens}`,
    tokens: list,
    events,
    thinkingTokens: list.filter((t) => t.phase === 'thinking').length,
    answerTokens: list.filter((t) => t.phase === 'answer').length,
    answer: (cut >= 0 ? answerText.slice(cut + '</think>'.length) : answerText).trim(),
    budget: { ...base.budget, minThinkingTokens: 0, maxThinkingTokens: null },
  };
}
