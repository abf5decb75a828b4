/**
 * Property tests of the guards with fast-check: valid traces pass; traces broken in random ways,
 * random values and random requests are refused with the guard's own error and nothing else, fast.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  InputError,
  TraceFormatError,
  isTraceViewOutbound,
  parseBudget,
  parseGenerateParams,
  parseSampling,
  parseTraceDocument,
} from '../../protocol/guards';
import { answerText } from '../../protocol/traceText';
import { applyMutation, arbMutation, arbTrace } from './traceArbitraries';

/** Runs of each property; the report counts them. */
const RUNS = { valid: 1000, mutated: 3000, anything: 2000, params: 2000, messages: 2000 };
/** No single check may take longer than this (a hang or a blow-up shows as a failure). */
const MAX_MS = 1000;

function timed<T>(f: () => T): T {
  const start = performance.now();
  try {
    return f();
  } finally {
    const ms = performance.now() - start;
    assert.ok(ms < MAX_MS, `took ${ms.toFixed(0)} ms`);
  }
}

describe('parseTraceDocument (property)', () => {
  test(`accepts ${RUNS.valid} random valid traces, as they are`, () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        assert.equal(parseTraceDocument(trace, 'random'), trace);
        assert.equal(trace.answer, answerText(trace));
      }),
      { numRuns: RUNS.valid },
    );
  });

  test(`refuses ${RUNS.mutated} random mutations with a TraceFormatError or accepts them`, () => {
    const rules = new Map<string, number>();
    fc.assert(
      fc.property(arbTrace, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (trace, mutations) => {
        let doc: unknown = JSON.parse(JSON.stringify(trace));
        for (const m of mutations) doc = applyMutation(doc, m);
        try {
          timed(() => parseTraceDocument(doc, 'mutated.json'));
          rules.set('accepted', (rules.get('accepted') ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof TraceFormatError)) throw error;
          assert.ok(error.message.startsWith('mutated.json: '), error.message);
          rules.set(error.rule, (rules.get(error.rule) ?? 0) + 1);
        }
      }),
      { numRuns: RUNS.mutated },
    );
    // Every kind of refusal happens, so the mutations reach every layer of the guard.
    for (const rule of ['structure', 'invariant', 'limit', 'version']) assert.ok((rules.get(rule) ?? 0) > 0, `no ${rule} error in ${[...rules]}`);
  });

  test(`refuses ${RUNS.anything} arbitrary values with a TraceFormatError`, () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withMap: true, withSet: true }), (value) => {
        assert.throws(() => timed(() => parseTraceDocument(value)), TraceFormatError);
      }),
      { numRuns: RUNS.anything },
    );
  });
});

describe('request params (property)', () => {
  /** Mostly valid values, sometimes one of the kinds the rules refuse. */
  const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 12, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: invalid });
  const count = mostly(fc.nat({ max: 100_000 }), fc.oneof(fc.integer({ min: -5, max: -1 }), fc.double(), fc.constantFrom<unknown>(null, '3', NaN, Infinity, 2 ** 60)));
  const budget = fc.record(
    {
      minThinkingTokens: count,
      maxThinkingTokens: mostly(fc.option(fc.nat({ max: 100_000 }), { nil: null }), fc.constantFrom<unknown>(-1, 0.5, '7')),
      ignoreEnd: mostly(fc.option(fc.nat({ max: 10 }), { nil: null }), fc.constantFrom<unknown>(-1, 0.5)),
      extendWith: mostly(fc.string({ minLength: 1 }), fc.oneof(fc.constant(''), fc.integer())),
      answerPrefix: mostly(fc.string(), fc.constant(null)),
      maxAnswerTokens: mostly(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom<unknown>(0, -1, 1.5, null)),
    },
    { requiredKeys: [] },
  );
  const sampling = fc.record(
    {
      temperature: mostly(fc.double({ min: 0, max: 2, noNaN: true }), fc.oneof(fc.double({ max: -0.001 }), fc.constantFrom<unknown>('1', null, NaN, Infinity))),
      topK: count,
      topP: mostly(fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }), fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(NaN))),
      minP: mostly(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: -1, max: 2 })),
      seed: mostly(fc.integer(), fc.double()),
    },
    { requiredKeys: [] },
  );
  const extraKey = mostly(fc.constant({}), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 1 })) as fc.Arbitrary<Record<string, unknown>>;

  test(`budgets: ${RUNS.params} random overrides, accepted only when every rule holds`, () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(budget, extraKey, (b, extra) => {
        const value = { ...extra, ...b };
        const isCount = (v: unknown, min = 0) => Number.isSafeInteger(v) && (v as number) >= min;
        const known = new Set(['minThinkingTokens', 'maxThinkingTokens', 'ignoreEnd', 'extendWith', 'answerPrefix', 'maxAnswerTokens']);
        const expectOk =
          Object.keys(value).every((k) => known.has(k)) &&
          (!('minThinkingTokens' in value) || isCount(value.minThinkingTokens)) &&
          (!('maxThinkingTokens' in value) || value.maxThinkingTokens === null || isCount(value.maxThinkingTokens)) &&
          (!('ignoreEnd' in value) || value.ignoreEnd === null || isCount(value.ignoreEnd)) &&
          (!('extendWith' in value) || (typeof value.extendWith === 'string' && value.extendWith.length > 0)) &&
          (!('answerPrefix' in value) || typeof value.answerPrefix === 'string') &&
          (!('maxAnswerTokens' in value) || isCount(value.maxAnswerTokens, 1)) &&
          !(typeof value.minThinkingTokens === 'number' && typeof value.maxThinkingTokens === 'number' && isCount(value.minThinkingTokens) && isCount(value.maxThinkingTokens) && value.maxThinkingTokens < value.minThinkingTokens);
        let ok: boolean;
        try {
          parseBudget(value);
          ok = true;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          assert.match(error.message, /^budget/);
          ok = false;
        }
        assert.equal(ok, expectOk, JSON.stringify(value));
        outcomes[ok ? 'accepted' : 'refused']++;
      }),
      { numRuns: RUNS.params },
    );
    assert.ok(outcomes.accepted > 50 && outcomes.refused > 50, JSON.stringify(outcomes));
  });

  test(`sampling: ${RUNS.params} random overrides, accepted only when every rule holds`, () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(sampling, (s) => {
        const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
        const expectOk =
          (!('temperature' in s) || (num(s.temperature) && (s.temperature as number) >= 0)) &&
          (!('topK' in s) || (Number.isSafeInteger(s.topK) && (s.topK as number) >= 0)) &&
          (!('topP' in s) || (num(s.topP) && (s.topP as number) > 0 && (s.topP as number) <= 1)) &&
          (!('minP' in s) || (num(s.minP) && (s.minP as number) >= 0 && (s.minP as number) < 1)) &&
          (!('seed' in s) || Number.isSafeInteger(s.seed));
        let ok: boolean;
        try {
          parseSampling(s);
          ok = true;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          ok = false;
        }
        assert.equal(ok, expectOk, JSON.stringify(s));
        outcomes[ok ? 'accepted' : 'refused']++;
      }),
      { numRuns: RUNS.params },
    );
    assert.ok(outcomes.accepted > 50 && outcomes.refused > 50, JSON.stringify(outcomes));
  });

  test(`generate params: ${RUNS.params} arbitrary values never throw anything but InputError`, () => {
    const params = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record(
        {
          runId: fc.oneof(fc.string(), fc.integer()),
          question: fc.oneof(fc.string(), fc.constant(null)),
          groundTruth: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
          sampling,
          budget,
          outPath: fc.oneof(fc.string(), fc.constant('/tmp/x.trace.json')),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(params, (p) => {
        try {
          timed(() => parseGenerateParams(p));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          assert.match(error.message, /^thinkscope\/generate params: /);
        }
      }),
      { numRuns: RUNS.params },
    );
  });
});

describe('trace view messages (property)', () => {
  test(`${RUNS.messages} arbitrary values: a boolean, true only for an exact message`, () => {
    const message = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.record({ type: fc.constantFrom('ready', 'position', 'error', 'other'), token: fc.anything(), message: fc.anything() }, { requiredKeys: ['type'] }),
    );
    fc.assert(
      fc.property(message, (m) => {
        const ok = isTraceViewOutbound(m);
        if (!ok) return;
        const o = m as Record<string, unknown>;
        const keys = Object.keys(o).sort().join(',');
        if (o.type === 'ready') assert.equal(keys, 'type');
        else if (o.type === 'position') assert.ok(keys === 'token,type' && Number.isSafeInteger(o.token) && (o.token as number) >= 0);
        else assert.ok(o.type === 'error' && keys === 'message,type' && typeof o.message === 'string');
      }),
      { numRuns: RUNS.messages },
    );
  });
});
