/**
 * A realistic budget sweep for the compare view's tests: one question, budgets 16 to 128 and no
 * maximum, 0 or 1 suppressed end, extension strings "Wait" and "Hmm". Every trace is built token by
 * token the way budget forcing produces it (a shared thinking line cut at each budget with a forced
 * `</think>` + "Final Answer:", or ended naturally, or extended once with the extension string),
 * checked with the trace guard, and judged with the real analysis, so the cells carry the final
 * answers and correctness the server would give them.
 *
 * The thinking stops at 17 × 20 = 340 when cut at 16 tokens, gets 17 × 24 wrong (398) by 40,
 * corrects itself after "Wait, let me re-check" (408) by 80, and — when made to go on with one
 * more "Wait" — talks itself into 425. So the answers flip from budget 16 to 40 and from 40 to 80,
 * and along the Wait axis at the budgets where thinking ends by itself.
 */
import { parseTraceDocument } from '../../../protocol/guards';
import { planCellKeys } from '../../../protocol/compareView';
import { SWEEP_FORMAT, SWEEP_VERSION, type SweepCell, type SweepCellKey, type SweepDocument, type SweepProgress } from '../../../protocol/sweep';
import { parseSweepDocument } from '../../../protocol/sweepFile';
import type { BudgetSettings, SamplingSettings, TraceDocument, TraceEvent, TraceToken } from '../../../protocol/trace';
import { answerText } from '../../../protocol/traceText';
import { analyzeTrace } from '../../../server/analysis/metrics';

export const QUESTION = 'What is 17 × 24?';
export const GROUND_TRUTH = '408';
export const BUDGETS: Array<number | null> = [16, 40, 80, 128, null];
export const WAIT_COUNTS = [0, 1];
export const EXTENSIONS = ['Wait', 'Hmm'];

/** The thinking the model does on its own, up to where it wants to end thinking. */
const LINE =
  'Let me work out 17 × 24 step by step. First 17 × 20 = 340, and 17 × 4 = 58, so the total is 340 + 58 = 398.' +
  '\n\nWait, let me re-check 17 × 4. 17 × 4 = 68, not 58. So the total is 340 + 68 = 408.' +
  '\n\nLet me verify another way: 24 × 17 = 24 × 10 + 24 × 7 = 240 + 168 = 408. Yes, 408.\n\n';

/** What the model thinks after its end of thinking is suppressed once, per extension string. */
const CONTINUATION: Record<string, string> = {
  Wait: ', maybe the question means 17 × 25 instead. 17 × 25 = 425. So the answer is 425.\n\n',
  Hmm: ', 408 still looks right after checking twice. The answer is 408.\n\n',
};

const SAMPLING: SamplingSettings = { temperature: 0, topK: 0, topP: 1, minP: 0, seed: 0 };
const BASE: BudgetSettings = {
  minThinkingTokens: 0,
  maxThinkingTokens: null,
  ignoreEnd: 0,
  extendWith: 'Wait',
  answerPrefix: 'Final Answer:',
  maxAnswerTokens: 64,
};

/** Word-sized pieces with their leading spaces, newlines on their own: how a tokenizer splits prose. */
export function tokenize(text: string): string[] {
  return text.match(/\n+|[ ]?[A-Za-z]+|[ ]?\d+|[ ]?[^\sA-Za-z\d]/g) ?? [];
}

/** A stable vocabulary id for a piece of text. */
function idOf(text: string): number {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) % 50_000;
  return 10 + h;
}

function modelToken(text: string, phase: TraceToken['phase'], at: number): TraceToken {
  const logprob = -0.05 - ((at * 37) % 23) / 20;
  return {
    id: idOf(text),
    text,
    logprob,
    entropy: 0.2 + ((at * 13) % 17) / 10,
    top: [{ id: idOf(text), text, logprob }, { id: idOf(text) + 1, text: ' so', logprob: logprob - 1.5 }],
    source: 'model',
    phase,
  };
}

function insertedToken(text: string, source: 'injected' | 'forced', phase: TraceToken['phase']): TraceToken {
  return { id: idOf(text), text, logprob: null, entropy: null, top: [], source, phase };
}

/** What the model answers after thinking that ends at `thinking`: the last total it settled on. */
function answerFor(thinking: string): string {
  const beliefs = [...thinking.matchAll(/(?:total is [\d +]*= |answer is |Yes, )(\d+)/g)];
  const last = beliefs[beliefs.length - 1]?.[1];
  if (!last) return ' 340. I only got as far as 17 × 20 = 340, so my best guess is \\boxed{340}.';
  return ` ${last}. Adding up the partial products gives ${last}, so the product is \\boxed{${last}}.`;
}

/** The trace of one cell, as budget forcing produces it. */
export function cellTrace(key: SweepCellKey, answerOverride?: string): TraceDocument {
  const budget: BudgetSettings = { ...BASE, maxThinkingTokens: key.maxThinkingTokens, ignoreEnd: key.ignoreEnd, extendWith: key.extendWith };
  const tokens: TraceToken[] = [];
  const events: TraceEvent[] = [];
  const max = key.maxThinkingTokens ?? Number.MAX_SAFE_INTEGER;
  let suppressions = 0;
  const pieces = tokenize(LINE);
  let forced = false;
  const think = (list: string[]): boolean => {
    for (const piece of list) {
      if (tokens.length >= max) return false;
      tokens.push(modelToken(piece, 'thinking', tokens.length));
    }
    return true;
  };
  let finished = think(pieces);
  while (finished && suppressions < (key.ignoreEnd ?? 0)) {
    // The model wants to end thinking here; the end is suppressed and the extension appended.
    if (tokens.length >= max) {
      finished = false;
      break;
    }
    events.push({
      kind: 'suppressed-end',
      at: tokens.length,
      wanted: { id: 2, text: '</think>', logprob: -0.3 },
      injected: key.extendWith,
      thinkingTokens: tokens.length,
    });
    tokens.push(insertedToken(key.extendWith, 'injected', 'thinking'));
    suppressions++;
    finished = think(tokenize(CONTINUATION[key.extendWith] ?? ', nothing changes.\n\n'));
  }
  if (!finished) forced = true;
  const thinking = tokens.map((t) => t.text).join('');
  if (forced) {
    events.push({ kind: 'forced-end', at: tokens.length, injected: `</think>${BASE.answerPrefix}`, thinkingTokens: tokens.length });
    tokens.push(insertedToken('</think>', 'forced', 'answer'), insertedToken(BASE.answerPrefix, 'forced', 'answer'));
  } else {
    events.push({ kind: 'natural-end', at: tokens.length, wanted: { id: 2, text: '</think>', logprob: -0.2 }, thinkingTokens: tokens.length });
    tokens.push({ ...modelToken('</think>', 'answer', tokens.length), id: 2 });
  }
  for (const piece of tokenize(answerOverride ?? answerFor(thinking))) tokens.push(modelToken(piece, 'answer', tokens.length));
  const thinkingTokens = tokens.filter((t) => t.phase === 'thinking').length;
  const id = `trace-${key.extendWith}-${key.ignoreEnd}-${key.maxThinkingTokens ?? 'none'}`;
  const trace: TraceDocument = {
    format: 'thinkscope.trace',
    version: 1,
    id,
    createdAt: '2025-06-01T12:00:00.000Z',
    question: QUESTION,
    groundTruth: GROUND_TRUTH,
    prompt: `<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n<think>\n`,
    model: { name: 'tiny-reasoner', path: '/models/tiny-reasoner.gguf', sha256: 'a'.repeat(64), engine: 'local', chatTemplate: 'chatml', backend: 'cpu' },
    sampling: SAMPLING,
    budget,
    delimiters: { thinkStart: '<think>', thinkEnd: '</think>' },
    tokens,
    events,
    thinkingTokens,
    answerTokens: tokens.length - thinkingTokens,
    answer: '',
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: '0.1.0' },
  };
  trace.answer = answerText(trace);
  return parseTraceDocument(trace, `fixture trace ${id}`);
}

/** A done cell for a trace, judged by the real analysis. */
export function judgedCell(key: SweepCellKey, trace: TraceDocument): SweepCell {
  const { metrics } = analyzeTrace(trace);
  return {
    key,
    status: 'done',
    traceId: trace.id,
    thinkingTokens: trace.thinkingTokens,
    answerTokens: trace.answerTokens,
    finalAnswer: metrics.finalAnswer,
    correct: metrics.correct,
  };
}

export interface SweepFixtureOptions {
  /** Replaces the answer text of the cell at this key (e.g. with markup, for the XSS test). */
  answerOverride?: { key: SweepCellKey; answer: string };
  /** Overrides the question (and every trace's). */
  question?: string;
}

/** The whole sweep, every cell done, checked with the sweep guard. */
export function sweepFixture(options: SweepFixtureOptions = {}): SweepDocument {
  const keys = planCellKeys({ budgets: BUDGETS, waitCounts: WAIT_COUNTS, extendWith: EXTENSIONS });
  const traces: TraceDocument[] = [];
  const cells = keys.map((key) => {
    const override = options.answerOverride && sameKey(options.answerOverride.key, key) ? options.answerOverride.answer : undefined;
    const trace = cellTrace(key, override);
    if (options.question) trace.question = options.question;
    traces.push(trace);
    return judgedCell(key, trace);
  });
  const sweep: SweepDocument = {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    id: 'sweep-17x24',
    createdAt: '2025-06-01T12:00:00.000Z',
    settings: {
      question: options.question ?? QUESTION,
      groundTruth: GROUND_TRUTH,
      budgets: BUDGETS,
      waitCounts: WAIT_COUNTS,
      extendWith: EXTENSIONS,
      base: BASE,
      sampling: SAMPLING,
      mode: 'shared',
    },
    cells,
    traces,
    timing: { startedAt: '2025-06-01T12:00:00.000Z', durationMs: 5321, evaluatedTokens: 812 },
    status: 'done',
  };
  return parseSweepDocument(JSON.parse(JSON.stringify(sweep)), 'fixture sweep');
}

/** The progress notifications a live run of `sweep` sends, in an order cells may finish in. */
export function progressOf(sweep: SweepDocument, runId: string): SweepProgress[] {
  const order = sweep.cells.map((_, i) => i).sort((a, b) => (a % 3) - (b % 3) || a - b);
  return order.map((index, k) => ({
    runId,
    cellIndex: index,
    cell: sweep.cells[index]!,
    trace: sweep.traces.find((t) => t.id === sweep.cells[index]!.traceId) ?? null,
    done: k + 1,
    total: sweep.cells.length,
  }));
}

export function sameKey(a: SweepCellKey, b: SweepCellKey): boolean {
  return a.maxThinkingTokens === b.maxThinkingTokens && a.ignoreEnd === b.ignoreEnd && a.extendWith === b.extendWith;
}
