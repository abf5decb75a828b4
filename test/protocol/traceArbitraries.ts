/**
 * fast-check generators of valid trace documents (with unknown fields in every kind of object) and
 * of mutations that break them, for the property tests of the guards, the reader and the writer.
 */
import fc from 'fast-check';
import type {
  BudgetSettings,
  TokenPhase,
  TokenSource,
  TraceDocument,
  TraceEvent,
  TraceToken,
} from '../../protocol/trace';
import { TRACE_EVENT_KINDS, TRACE_OBJECT_SPECS } from '../../protocol/traceFields';
import { answerText } from '../../protocol/traceText';

const KNOWN_KEYS = new Set(TRACE_OBJECT_SPECS.flatMap((s) => s.fields.map((f) => f.key)));

/** Text of any code points, lone surrogates included. */
export const anyText = (maxLength = 8): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

/** A finite double in [min, max], never -0 (JSON has no -0). */
const double = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));

/** Extra fields a future version might add: keys this version does not know, any JSON values. */
export const unknownFields = (maxKeys = 2): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !KNOWN_KEYS.has(k)),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys },
  );

const withExtras = <T extends object>(value: T, extras: Record<string, unknown>): T => {
  // defineProperty, so that a key such as "__proto__" becomes an own field as JSON.parse makes it.
  for (const [k, v] of Object.entries(extras)) Object.defineProperty(value, k, { value: v, enumerable: true, writable: true, configurable: true });
  return value;
};

const logprob = double(-30, 0);

const arbAlternative = fc
  .record({ id: fc.nat({ max: 200_000 }), text: anyText(), logprob, extra: unknownFields(1) })
  .map(({ extra, ...a }) => withExtras(a, extra));

interface TokenDraft {
  id: number;
  text: string;
  source: TokenSource;
  logprob: number | null;
  entropy: number | null;
  top: TraceToken['top'];
  extra: Record<string, unknown>;
}

const arbTokenDraft: fc.Arbitrary<TokenDraft> = fc.record({
  id: fc.integer({ min: -1, max: 200_000 }),
  text: fc.oneof({ weight: 1, arbitrary: fc.constant('</think>') }, { weight: 6, arbitrary: anyText() }),
  source: fc.constantFrom<TokenSource>('model', 'model', 'model', 'injected', 'forced'),
  logprob: fc.option(logprob, { nil: null }),
  entropy: fc.option(double(0, 12), { nil: null }),
  top: fc.array(arbAlternative, { maxLength: 3 }),
  extra: unknownFields(1),
});

const arbEventDraft = fc.record({
  kind: fc.constantFrom(...TRACE_EVENT_KINDS.filter((k) => k !== 'thinking-reopened')),
  position: fc.double({ min: 0, max: 1, noNaN: true }),
  wanted: fc.option(fc.record({ id: fc.nat({ max: 200_000 }), text: anyText(), logprob: fc.option(logprob, { nil: null }) }), {
    nil: undefined,
  }),
  injected: fc.option(anyText(), { nil: undefined }),
  thinkingTokens: fc.option(fc.nat({ max: 100_000 }), { nil: undefined }),
  detail: fc.option(anyText(20), { nil: undefined }),
  extra: unknownFields(1),
});

const arbBudget: fc.Arbitrary<BudgetSettings> = fc
  .record({
    min: fc.nat({ max: 10_000 }),
    span: fc.option(fc.nat({ max: 10_000 }), { nil: null }),
    ignoreEnd: fc.option(fc.nat({ max: 10 }), { nil: null }),
    extendWith: fc.string({ minLength: 1, maxLength: 8 }),
    answerPrefix: anyText(),
    maxAnswerTokens: fc.integer({ min: 1, max: 100_000 }),
  })
  .map((b) => ({
    minThinkingTokens: b.min,
    maxThinkingTokens: b.span === null ? null : b.min + b.span,
    ignoreEnd: b.ignoreEnd,
    extendWith: b.extendWith,
    answerPrefix: b.answerPrefix,
    maxAnswerTokens: b.maxAnswerTokens,
  }));

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Random valid traces: phases in blocks (thinking reopened after answer where the events say so), events within the tokens, unknown fields anywhere. */
export const arbTrace: fc.Arbitrary<TraceDocument> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    createdAt: isoDate,
    question: anyText(30),
    groundTruth: fc.option(anyText(), { nil: null }),
    prompt: anyText(30),
    model: fc.record({
      name: anyText(),
      path: fc.option(anyText(20), { nil: null }),
      sha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
      engine: fc.constantFrom<'local' | 'remote'>('local', 'remote'),
      chatTemplate: fc.option(anyText(20), { nil: null }),
      backend: fc.option(fc.constantFrom('cpu', 'cuda', 'vllm'), { nil: undefined }),
    }),
    sampling: fc.record({
      temperature: double(0, 5),
      topK: fc.nat({ max: 1000 }),
      topP: fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }),
      seed: fc.integer(),
    }),
    budget: arbBudget,
    delimiters: fc.constantFrom(
      { thinkStart: '<think>', thinkEnd: '</think>' },
      { thinkStart: '<|im_start|>think', thinkEnd: '<|im_start|>answer' },
    ),
    blocks: fc.array(fc.record({ phase: fc.constantFrom<TokenPhase>('thinking', 'answer'), tokens: fc.array(arbTokenDraft, { maxLength: 6 }) }), {
      maxLength: 5,
    }),
    events: fc.array(arbEventDraft, { maxLength: 4 }),
    stopReason: fc.constantFrom<TraceDocument['stopReason']>('eos', 'answer-cap', 'context-full', 'cancelled', 'interrupted', 'error', 'imported'),
    tokenCounts: fc.constantFrom<TraceDocument['tokenCounts'] | undefined>(undefined, 'exact', 'tokenizer', 'estimated'),
    looseCounts: fc.tuple(fc.nat({ max: 1e6 }), fc.nat({ max: 1e6 })),
    timing: fc.option(
      fc.record({ startedAt: isoDate, durationMs: double(0, 1e7), promptTokens: fc.nat({ max: 1e5 }), tokensPerSecond: double(0, 1e4) }),
      { nil: undefined },
    ),
    parent: fc.option(
      fc.record({
        traceId: fc.string({ minLength: 1, maxLength: 8 }),
        forkAt: fc.nat({ max: 1000 }),
        relation: fc.constantFrom<'fork' | 'sweep' | 'abandoned-branch'>('fork', 'sweep', 'abandoned-branch'),
      }),
      { nil: undefined },
    ),
    extras: fc.record({ doc: unknownFields(3), model: unknownFields(1), budget: unknownFields(1) }),
  })
  .map((r) => {
    const tokens: TraceToken[] = [];
    const events: TraceEvent[] = [];
    let previous: TokenPhase | null = null;
    for (const block of r.blocks) {
      for (const d of block.tokens) {
        if (block.phase === 'thinking' && previous === 'answer') {
          events.push({ kind: 'thinking-reopened', at: tokens.length });
        }
        const token: TraceToken = {
          id: d.id,
          text: d.text,
          logprob: d.source === 'model' ? d.logprob : null,
          entropy: d.entropy,
          top: d.top,
          source: d.source,
          phase: block.phase,
        };
        tokens.push(withExtras(token, d.extra));
        previous = block.phase;
      }
    }
    for (const e of r.events) {
      const event: TraceEvent = { kind: e.kind, at: Math.floor(e.position * (tokens.length + 1)) };
      if (event.at > tokens.length) event.at = tokens.length;
      if (e.wanted) event.wanted = e.wanted;
      if (e.injected !== undefined) event.injected = e.injected;
      if (e.thinkingTokens !== undefined) event.thinkingTokens = e.thinkingTokens;
      if (e.detail !== undefined) event.detail = e.detail;
      events.push(withExtras(event, e.extra));
    }
    const thinking = tokens.filter((t) => t.phase === 'thinking').length;
    const exact = r.tokenCounts === undefined || r.tokenCounts === 'exact';
    const model = { ...r.model } as TraceDocument['model'];
    if (model.backend === undefined) delete model.backend;
    const trace: TraceDocument = {
      format: 'thinkscope.trace',
      version: 1,
      id: r.id,
      createdAt: r.createdAt,
      question: r.question,
      groundTruth: r.groundTruth,
      prompt: r.prompt,
      model: withExtras(model, r.extras.model),
      sampling: r.sampling,
      budget: withExtras({ ...r.budget }, r.extras.budget),
      delimiters: r.delimiters,
      tokens,
      events,
      thinkingTokens: exact ? thinking : r.looseCounts[0],
      answerTokens: exact ? tokens.length - thinking : r.looseCounts[1],
      answer: answerText({ tokens, delimiters: r.delimiters }),
      stopReason: r.stopReason,
      generator: { name: 'thinkscope', version: '0.1.0' },
    };
    if (r.tokenCounts !== undefined) trace.tokenCounts = r.tokenCounts;
    if (r.timing) trace.timing = r.timing;
    if (r.parent) trace.parent = r.parent;
    return withExtras(trace, r.extras.doc);
  });

/** Every path to a value inside `value` (the root is []). */
export function allPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  return out;
}

/** Values that break fields: wrong types, out-of-range and huge numbers, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    -1,
    1.5,
    -0.5,
    2 ** 53,
    -(2 ** 53),
    1e308,
    -1e308,
    Infinity,
    -Infinity,
    '',
    'x',
    '1',
    null,
    true,
    [],
    {},
    '2025-13-45T99:99:99Z',
    'thinkscope.trace',
    2,
  ),
  fc.integer({ min: 50, max: 400 }).map((depth) => {
    let v: unknown = 0;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }),
);

/** One structural change to a JSON value at a random path: delete it, replace it, or wrap it. */
export interface Mutation {
  pick: number;
  action: 'delete' | 'replace' | 'wrap';
  value: unknown;
}

export const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  action: fc.constantFrom<Mutation['action']>('delete', 'replace', 'replace', 'wrap'),
  value: nastyValue,
});

/** `doc` (a JSON-cloned trace) with the mutation applied in place; returns it (or a new root). */
export function applyMutation(doc: unknown, m: Mutation): unknown {
  const paths = allPaths(doc);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.action === 'wrap' ? [doc] : m.value;
  let parent = doc as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (m.action === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.action === 'replace') {
    parent[key] = m.value;
  } else {
    parent[key] = [parent[key]];
  }
  return doc;
}
