/**
 * Writes the sample traces under samples/traces/: R1-style math traces in trace format v1 that
 * show every feature of the stepper (suppressed ends with injected "Wait"s, a forced cut, a natural
 * end, a first correct answer followed by overthinking, answer flips) and one trace full of HTML
 * that must render as text. Token log-probabilities, entropies and top-5 alternatives are drawn
 * from a seeded generator, so running this again writes the same files.
 *
 *   npx tsx scripts/make-samples.ts [outDir]
 *
 * `makeLongTrace(n)` builds a synthetic trace of about n tokens (for the stepper benchmark); it is
 * generated when needed rather than committed.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TokenAlternative, TraceDocument, TraceEvent, TraceToken } from '../protocol/trace';
import { TRACE_FORMAT, TRACE_VERSION } from '../protocol/trace';
import { answerText } from '../protocol/traceText';
import { writeFileAtomic } from '../server/util/atomicFile';

/** Vocabulary id of `</think>` in DeepSeek-R1 distilled models. */
const THINK_END_ID = 151649;
const THINK_END = '</think>';
const ANSWER_PREFIX = 'Final Answer:';
const CREATED_AT = '2025-03-01T12:00:00.000Z';
const GENERATOR_VERSION = '0.1.0';
/** Words that open a reflection step; the model is less sure of them. */
const CUE_WORDS = new Set(['Wait', 'Hmm', 'Alternatively', 'But', 'Let']);

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits text into token-like pieces the way a BPE vocabulary roughly does: words with their
 * leading space (long words in two pieces), single digits, single punctuation marks, runs of
 * newlines and runs of spaces.
 */
export function tokenize(text: string): string[] {
  const pieces: string[] = [];
  const pattern = /\n+|[ ]?[A-Za-z]+|[ ]?\d|[ ]?[^\sA-Za-z\d]|[ ]+/gu;
  for (const match of text.matchAll(pattern)) {
    const piece = match[0];
    const word = piece.trim();
    if (/^[A-Za-z]{10,}$/.test(word) && !CUE_WORDS.has(word)) {
      const cut = piece.length - Math.ceil(word.length / 2);
      pieces.push(piece.slice(0, cut), piece.slice(cut));
    } else {
      pieces.push(piece);
    }
  }
  if (pieces.join('') !== text) throw new Error(`tokenize lost characters in ${JSON.stringify(text.slice(0, 40))}…`);
  return pieces;
}

/** A stable vocabulary id for a piece of text (FNV-1a), below the special-token range. */
export function tokenId(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 100 + (hash % 151000);
}

const WORD_ALTERNATIVES = [' the', ' so', ' we', ' I', ' that', ' is', ',', '.', ' this', ' it', ' to', ' a', ' let', '\n\n', ' and', ' of', ' which', ' then'];
const CUE_ALTERNATIVES = ['Wait', 'Hmm', 'So', 'Therefore', 'Alternatively', 'But', 'Let', 'Now', 'Actually', 'Okay'];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Draws the alternatives and the numbers of one sampled token. */
class TokenSampler {
  constructor(private readonly random: () => number) {}

  /**
   * A model token: its probability depends on what kind of piece it is, unless `fixedLogprob`
   * gives it.
   */
  sample(text: string, previous: string, fixedLogprob?: number, id = tokenId(text)): TraceToken {
    const r = this.random;
    const word = text.trim();
    let p: number;
    if (fixedLogprob !== undefined) p = Math.exp(fixedLogprob);
    else if (CUE_WORDS.has(word) && /\n$|^$/.test(previous)) p = 0.15 + 0.45 * r();
    else if (/^\d$/.test(word)) p = r() < 0.25 ? 0.3 + 0.5 * r() : 0.85 + 0.149 * r();
    else if (/^\n+$/.test(text)) p = 0.7 + 0.29 * r();
    else {
      const u = r();
      p = u < 0.78 ? 0.86 + 0.139 * r() : u < 0.95 ? 0.4 + 0.45 * r() : 0.05 + 0.35 * r();
    }
    const pool = /^\d$/.test(word)
      ? DIGITS.map((d) => (text.startsWith(' ') ? ` ${d}` : d))
      : CUE_WORDS.has(word) ? CUE_ALTERNATIVES.map((w) => (text.startsWith(' ') ? ` ${w}` : w)) : WORD_ALTERNATIVES;
    const others = this.pick(pool.filter((t) => t !== text), 4);
    // Greedy-looking most of the time; an uncertain token is sometimes not the top choice.
    const notTop = fixedLogprob === undefined && p < 0.45 && r() < 0.35;
    const probabilities = this.spread(p, others.length, notTop);
    const top: TokenAlternative[] = [];
    const chosen = { id, text, logprob: Math.log(p) };
    if (notTop) top.push({ id: tokenId(others[0]), text: others[0], logprob: Math.log(probabilities[0]) }, chosen);
    else top.push(chosen);
    for (let k = notTop ? 1 : 0; k < others.length && top.length < 5; k++) {
      top.push({ id: tokenId(others[k]), text: others[k], logprob: Math.log(probabilities[k]) });
    }
    top.sort((a, b) => b.logprob - a.logprob);
    return {
      id: chosen.id,
      text,
      logprob: round(chosen.logprob),
      entropy: round(entropyOf([p, ...probabilities.slice(0, 4)])),
      top: top.map((t) => ({ ...t, logprob: round(t.logprob) })),
      source: 'model',
      phase: 'thinking',
    };
  }

  /** Probabilities for the alternatives, largest first, leaving some mass to the rest of the vocabulary. */
  private spread(p: number, count: number, aboveChosen: boolean): number[] {
    const r = this.random;
    let rest = 1 - p;
    const out: number[] = [];
    for (let k = 0; k < count; k++) {
      const share = k === 0 && aboveChosen ? Math.min(0.95 * rest, p + (rest - p) * 0.5 * r() + 0.01) : rest * (0.35 + 0.3 * r());
      out.push(Math.max(1e-6, share));
      rest -= share;
    }
    if (aboveChosen && out[0] <= p) out[0] = Math.min(p + 0.01, 1 - p - 1e-3);
    return out;
  }

  private pick(pool: string[], count: number): string[] {
    const copy = [...pool];
    const out: string[] = [];
    while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(this.random() * copy.length), 1)[0]);
    return out;
  }
}

/** Entropy (nats) of a distribution given its largest probabilities; the rest is spread over 40 tokens. */
function entropyOf(probabilities: number[]): number {
  const known = probabilities.filter((p) => p > 0);
  const rest = Math.max(0, 1 - known.reduce((a, b) => a + b, 0));
  let h = -known.reduce((sum, p) => sum + p * Math.log(p), 0);
  if (rest > 0) h += -rest * Math.log(rest / 40);
  return h;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** One part of a scripted trace. */
export type ScriptPart =
  | { think: string }
  /** The model samples `</think>` (with this log-probability) below the minimum; `inject` goes in instead. */
  | { suppress: number; inject?: string }
  /** The model ends thinking by itself (its `</think>` has this log-probability). */
  | { naturalEnd: number }
  /** The budget runs out: the model wanted `wanted` (a token, with its log-probability). */
  | { forcedEnd: { text: string; logprob: number } }
  /** The user injected text (a debugger action). */
  | { userInject: string }
  | { answer: string };

export interface TraceScript {
  id: string;
  question: string;
  groundTruth: string | null;
  seed: number;
  parts: ScriptPart[];
  /** Set the minimum just above the last suppressed end (rounded up to 50). */
  minFromSuppressions?: boolean;
  /** Set the maximum to the thinking length at the forced end. */
  maxFromCut?: boolean;
  modelName?: string;
}

/** The R1 chat template applied to a question. */
export function r1Prompt(question: string): string {
  return `<｜begin▁of▁sentence｜><｜User｜>${question}\nPlease reason step by step, and put your final answer within \\boxed{}.<｜Assistant｜><think>\n`;
}

/** Builds a trace document from a script. */
export function buildTrace(script: TraceScript): TraceDocument {
  const random = seededRandom(script.seed);
  const sampler = new TokenSampler(random);
  const tokens: TraceToken[] = [];
  const events: TraceEvent[] = [];
  let phase: 'thinking' | 'answer' = 'thinking';
  let thinking = 0;
  let lastSuppression = 0;
  let cutAt: number | null = null;
  const push = (token: TraceToken): void => {
    tokens.push(token);
    if (token.phase === 'thinking') thinking++;
  };
  const pushText = (text: string, source: 'model' | 'injected' | 'forced'): void => {
    for (const piece of tokenize(text)) {
      if (source === 'model') {
        const token = sampler.sample(piece, tokens.length > 0 ? tokens[tokens.length - 1].text : '');
        push({ ...token, phase });
      } else {
        push({ id: tokenId(piece), text: piece, logprob: null, entropy: null, top: [], source, phase });
      }
    }
  };
  for (const part of script.parts) {
    if ('think' in part) {
      pushText(part.think, 'model');
    } else if ('suppress' in part) {
      const inject = part.inject ?? 'Wait';
      events.push({ kind: 'suppressed-end', at: tokens.length, wanted: { id: THINK_END_ID, text: THINK_END, logprob: part.suppress }, injected: inject, thinkingTokens: thinking });
      lastSuppression = thinking;
      pushText(inject, 'injected');
    } else if ('userInject' in part) {
      events.push({ kind: 'user-injected', at: tokens.length, injected: part.userInject, thinkingTokens: thinking, detail: 'Injected from the debugger while paused' });
      pushText(part.userInject, 'injected');
    } else if ('naturalEnd' in part) {
      events.push({ kind: 'natural-end', at: tokens.length, wanted: { id: THINK_END_ID, text: THINK_END, logprob: part.naturalEnd }, thinkingTokens: thinking });
      phase = 'answer';
      push({ ...sampler.sample(THINK_END, '', part.naturalEnd, THINK_END_ID), phase });
    } else if ('forcedEnd' in part) {
      cutAt = thinking;
      events.push({ kind: 'forced-end', at: tokens.length, wanted: { id: tokenId(part.forcedEnd.text), ...part.forcedEnd }, injected: `${THINK_END}\n\n${ANSWER_PREFIX}`, thinkingTokens: thinking });
      phase = 'answer';
      push({ id: THINK_END_ID, text: THINK_END, logprob: null, entropy: null, top: [], source: 'forced', phase });
      pushText(`\n\n${ANSWER_PREFIX}`, 'forced');
    } else {
      pushText(part.answer, 'model');
    }
  }
  const answer = answerText({ tokens, delimiters: { thinkStart: '<think>', thinkEnd: THINK_END } });
  const answerTokens = tokens.length - thinking;
  const minThinkingTokens = script.minFromSuppressions ? Math.ceil((lastSuppression + 1) / 50) * 50 : 0;
  const natural = events.find((e) => e.kind === 'natural-end');
  if (natural && minThinkingTokens > (natural.thinkingTokens ?? 0)) {
    throw new Error(`${script.id}: the natural end at ${natural.thinkingTokens} thinking tokens is below the minimum ${minThinkingTokens}`);
  }
  const prompt = r1Prompt(script.question);
  const promptTokens = tokenize(prompt).length;
  const tokensPerSecond = 38.4;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: script.id,
    createdAt: CREATED_AT,
    question: script.question,
    groundTruth: script.groundTruth,
    prompt,
    model: {
      name: script.modelName ?? 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M',
      path: null,
      sha256: null,
      engine: 'local',
      chatTemplate: 'deepseek-r1',
      backend: 'cpu',
    },
    sampling: { temperature: 0.6, topK: 0, topP: 0.95, seed: script.seed },
    budget: {
      minThinkingTokens,
      maxThinkingTokens: script.maxFromCut && cutAt !== null ? cutAt : null,
      ignoreEnd: null,
      extendWith: 'Wait',
      answerPrefix: ANSWER_PREFIX,
      maxAnswerTokens: 512,
    },
    delimiters: { thinkStart: '<think>', thinkEnd: THINK_END },
    tokens,
    events,
    thinkingTokens: thinking,
    answerTokens,
    answer,
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: GENERATOR_VERSION },
    timing: {
      startedAt: CREATED_AT,
      durationMs: Math.round((tokens.length / tokensPerSecond) * 1000),
      promptTokens,
      tokensPerSecond,
    },
  };
}

/** The committed samples. */
export const SAMPLE_SCRIPTS: readonly TraceScript[] = [
  {
    id: 'sample-wait-extension',
    question: 'What is the sum of all positive divisors of 36?',
    groundTruth: '91',
    seed: 11,
    minFromSuppressions: true,
    parts: [
      { think: 'Okay, so I need to find the sum of all positive divisors of 36. Hmm, let me start by factoring it.\n\n36 = 2^2 × 3^2, so every divisor has the form 2^a × 3^b with a and b between 0 and 2. That gives 3 × 3 = 9 divisors.\n\nLet me list them: 1, 2, 3, 4, 6, 9, 12, 18, 36.\n\nAdding them up: 1 + 2 = 3, 3 + 3 = 6, 6 + 4 = 10, 10 + 6 = 16, 16 + 9 = 25, 25 + 12 = 37, 37 + 18 = 55, 55 + 36 = 91.\n\nSo the sum is 91.\n' },
      { suppress: -0.071 },
      { think: ', let me double-check with the divisor-sum formula. For n = p^a × q^b, the sum of the divisors is (1 + p + ... + p^a)(1 + q + ... + q^b).\n\nFor 2^2 that is 1 + 2 + 4 = 7, and for 3^2 it is 1 + 3 + 9 = 13. Then 7 × 13 = 91.\n\nBoth methods give 91.\n' },
      { suppress: -0.128 },
      { think: ', did I miss a divisor? Let me check the pairs: 1 × 36, 2 × 18, 3 × 12, 4 × 9, 6 × 6. That is 1, 2, 3, 4, 6, 9, 12, 18, 36, nine divisors, with 6 counted once because 6 × 6 pairs it with itself. Good, the list is complete.\n\nSo the answer is 91.\n' },
      { naturalEnd: -0.031 },
      { answer: '\n\nThe divisors of 36 are 1, 2, 3, 4, 6, 9, 12, 18 and 36. With 36 = 2^2 × 3^2, the divisor sum is (1 + 2 + 4)(1 + 3 + 9) = 7 × 13 = 91.\n\n**Answer:** \\boxed{91}' },
    ],
  },
  {
    id: 'sample-forced-cut',
    question: 'How many trailing zeros does 100! have?',
    groundTruth: '24',
    seed: 23,
    maxFromCut: true,
    parts: [
      { think: 'Okay, the question is how many zeros 100! ends with. A trailing zero comes from a factor of 10 = 2 × 5, and 100! has far more factors of 2 than factors of 5, so I only need to count the factors of 5.\n\nThe multiples of 5 up to 100: 100 / 5 = 20, so there are 20 of them.\n\nBut multiples of 25 contribute an extra 5 each: 100 / 25 = 4, so that is 4 more. Multiples of 125 would add another one, but 125 > 100, so there are none.\n\nTotal: 20 + 4 = 24.\n\nHmm, let me sanity-check the method on a smaller case. 10! = 3628800, which has 2 trailing zeros, and the formula gives 10 / 5 = 2. Good. And 25! should have 25 / 5 + 25 / 25 = 5 + 1 = 6 zeros. Let me verify that by writing out 25! = 15511210043330985984000000, which ends in' },
      { forcedEnd: { text: ' 6', logprob: -0.287 } },
      { answer: ' The factors of 5 in 100! number ⌊100/5⌋ + ⌊100/25⌋ = 20 + 4 = 24, and each pairs with a factor of 2.\n\n\\boxed{24}' },
    ],
  },
  {
    id: 'sample-overthinking',
    question: 'Two fair six-sided dice are rolled. What is the probability that the sum is 8?',
    groundTruth: '\\frac{5}{36}',
    seed: 37,
    parts: [
      { think: "Okay, let's see. Two dice, each with faces 1 to 6, so there are 6 × 6 = 36 equally likely outcomes.\n\nI need the outcomes where the sum is 8: (2,6), (3,5), (4,4), (5,3), (6,2). That's 5 outcomes.\n\nSo the probability is 5/36.\n\nWait, but should (4,4) count twice, since there are two dice? If I swap the dice in (3,5) I get (5,3), which is a different outcome, so maybe (4,4) also comes in two versions. Then there would be 6 outcomes: (2,6), (6,2), (3,5), (5,3), (4,4), (4,4).\n\nThat would make it 6/36 = 1/6.\n\nHmm, no. Swapping the dice in (4,4) gives the same outcome, not a new one. The 36 outcomes are ordered pairs, and (4,4) is only one of them, while (3,5) and (5,3) are two different pairs.\n\nSo it's 5/36 after all.\n\nAlternatively, I can count by the first die: if the first die shows 1, the second would need 7, which is impossible. First die 2 needs 6, first die 3 needs 5, first die 4 needs 4, first die 5 needs 3, first die 6 needs 2. That's 5 outcomes, so 5/36 again.\n\nLet me double-check by listing how many ways each sum can happen: 2 has 1 way, 3 has 2, 4 has 3, 5 has 4, 6 has 5, 7 has 6, 8 has 5, 9 has 4, 10 has 3, 11 has 2, 12 has 1. Total 1 + 2 + 3 + 4 + 5 + 6 + 5 + 4 + 3 + 2 + 1 = 36. Good, and a sum of 8 has 5 ways.\n\nWait, is the question maybe asking for a sum of at least 8? No, it says the sum is 8.\n\nHmm, let me also make sure 5/36 can't be simplified: 5 is prime and doesn't divide 36, so 5/36 is in lowest terms. As a decimal it's about 0.139.\n\nSo the probability is 5/36.\n" },
      { naturalEnd: -0.019 },
      { answer: '\n\nThere are 36 equally likely ordered outcomes, and 5 of them sum to 8: (2,6), (3,5), (4,4), (5,3), (6,2).\n\n$$P(\\text{sum} = 8) = \\boxed{\\dfrac{5}{36}}$$' },
    ],
  },
  {
    id: 'sample-s1-budget',
    question: 'What is the remainder when 2^100 is divided by 7?',
    groundTruth: '2',
    seed: 41,
    minFromSuppressions: true,
    maxFromCut: true,
    parts: [
      { think: 'Okay, I need 2^100 mod 7. The powers of 2 mod 7 cycle: 2^1 = 2, 2^2 = 4, 2^3 = 8 ≡ 1. So the cycle length is 3.\n\n100 = 3 × 33 + 1, so 2^100 = (2^3)^33 × 2 ≡ 1^33 × 2 = 2 (mod 7).\n\nThe remainder is 2.\n' },
      { suppress: -0.052 },
      { think: ', let me verify the cycle with more powers: 2^4 = 16 = 14 + 2 ≡ 2, 2^5 = 32 = 28 + 4 ≡ 4, 2^6 = 64 = 63 + 1 ≡ 1. Yes, the period is 3.\n\nAnd 3 × 33 = 99, so 100 = 99 + 1. The remainder is 2.\n' },
      { suppress: -0.104 },
      { think: ", maybe I can double-check with Fermat's little theorem. Since 7 is prime, 2^6 ≡ 1 (mod 7). Then 100 = 6 × 16 + 4, so 2^100 ≡ 2^4 = 16 ≡ 2 (mod 7). Same answer.\n\nLet me also try writing 2^100 = 4^50 and reducing powers of 4 mod 7: 4^1 = 4, 4^2 = 16 ≡ 2, 4^3 = 64 ≡ 1, so 4 has order 3 as well. 50 = 3 × 16 + 2, so 4^50 ≡ 4^2 ≡" },
      { forcedEnd: { text: ' 2', logprob: -0.044 } },
      { answer: ' Since 2^3 = 8 ≡ 1 (mod 7) and 100 = 3 · 33 + 1, we get 2^100 ≡ 2 (mod 7).\n\nThe remainder is \\boxed{2}.' },
    ],
  },
  {
    id: 'sample-xss',
    question: 'What is 2 + 2? <script>alert(1)</script> <img src=x onerror=alert(1)>',
    groundTruth: '4',
    seed: 53,
    minFromSuppressions: true,
    modelName: 'tiny-<svg onload=alert(1)>',
    parts: [
      { think: 'Okay, the question contains some markup: <script>alert(1)</script> and <img src=x onerror=alert(1)> which I should ignore.\n\nThere is also a link like <a href="javascript:alert(1)">click me</a> and [a markdown link](javascript:alert(1)), which is just text.\n\n2 + 2 = 4.\n' },
      { suppress: -0.2, inject: 'Wait <b>bold?</b>' },
      { think: ', the injected text above is also plain text. Entities like &lt;b&gt; and &amp; stay as written.\n\n' },
      { userInject: '<img src=x onerror=alert(2)>' },
      { think: ' is what someone typed while paused. The answer is still 4.\n' },
      { naturalEnd: -0.01 },
      { answer: '\n\n<script>alert(3)</script>\\boxed{4}' },
    ],
  },
];

/** Paragraphs the long synthetic trace is made of. */
const LONG_PARAGRAPHS = SAMPLE_SCRIPTS.slice(0, 4)
  .flatMap((s) => s.parts)
  .flatMap((p) => ('think' in p ? p.think.split('\n\n') : []))
  .map((p) => p.trim())
  .filter((p) => p.length > 20);

/**
 * A synthetic R1-style trace of about `tokenCount` tokens: paragraphs of the samples' reasoning,
 * a suppressed end every `waitEvery` tokens, a forced cut, and a short answer.
 */
export function makeLongTrace(tokenCount: number, seed = 7, waitEvery = 1500): TraceDocument {
  const random = seededRandom(seed);
  const parts: ScriptPart[] = [];
  let approx = 0;
  let sinceWait = 0;
  const answer = ' By the argument above, the answer is \\boxed{24}.';
  const reserve = tokenize(answer).length + 8;
  while (approx < tokenCount - reserve) {
    const paragraph = LONG_PARAGRAPHS[Math.floor(random() * LONG_PARAGRAPHS.length)];
    const text = `${paragraph}\n\n`;
    const n = tokenize(text).length;
    if (approx + n > tokenCount - reserve) break;
    parts.push({ think: text });
    approx += n;
    sinceWait += n;
    if (sinceWait >= waitEvery) {
      parts.push({ suppress: -0.05 - random() * 0.3 }, { think: ', let me re-check that.\n\n' });
      approx += 9;
      sinceWait = 0;
    }
  }
  parts.push({ forcedEnd: { text: ' So', logprob: -0.4 } }, { answer });
  return buildTrace({
    id: `synthetic-${tokenCount}-${seed}`,
    question: 'How many trailing zeros does 100! have? (synthetic long trace)',
    groundTruth: '24',
    seed,
    parts,
    minFromSuppressions: true,
    maxFromCut: true,
  });
}

/**
 * Serializes a trace with one token (and one event) per line: small diffs, readable files.
 * Top-level keys keep their order.
 */
export function formatTrace(trace: TraceDocument): string {
  const entries = Object.entries(trace);
  const lines = ['{'];
  entries.forEach(([key, value], index) => {
    const comma = index < entries.length - 1 ? ',' : '';
    if ((key === 'tokens' || key === 'events') && Array.isArray(value)) {
      const items = value.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
      lines.push(`  ${JSON.stringify(key)}: [${items ? `\n${items}\n  ` : ''}]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The file name a sample is written to. */
export function sampleFileName(trace: TraceDocument): string {
  return `${trace.id.replace(/^sample-/, '')}.trace.json`;
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'samples', 'traces');
  for (const script of SAMPLE_SCRIPTS) {
    const trace = buildTrace(script);
    const path = join(outDir, sampleFileName(trace));
    await writeFileAtomic(path, formatTrace(trace));
    console.log(`${path}: ${trace.tokens.length} tokens, ${trace.events.length} events`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
