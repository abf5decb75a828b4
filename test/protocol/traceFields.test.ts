/**
 * The field descriptions of protocol/traceFields.ts against the TypeScript types of
 * protocol/trace.ts: the same fields, the same optional ones, the same enum values. The records
 * below are checked by the compiler (a missing or extra key does not compile); the tests compare
 * them with the descriptions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  BudgetSettings,
  Delimiters,
  GeneratorInfo,
  ModelInfo,
  SamplingSettings,
  StopReason,
  TokenAlternative,
  TokenPhase,
  TokenSource,
  TraceDocument,
  TraceEvent,
  TraceEventKind,
  TraceParent,
  TraceTiming,
  TraceToken,
  WantedToken,
} from '../../protocol/trace';
import {
  ALTERNATIVE_SPEC,
  BUDGET_SPEC,
  DELIMITERS_SPEC,
  EVENT_SPEC,
  GENERATOR_SPEC,
  MODEL_SPEC,
  PARENT_RELATIONS,
  PARENT_SPEC,
  SAMPLING_SPEC,
  STOP_REASONS,
  TIMING_SPEC,
  TOKEN_COUNT_KINDS,
  TOKEN_PHASES,
  TOKEN_SOURCES,
  TOKEN_SPEC,
  TRACE_EVENT_KINDS,
  TRACE_OBJECT_SPECS,
  TRACE_SPEC,
  WANTED_SPEC,
  type ObjectSpec,
} from '../../protocol/traceFields';

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type Fields<T> = { all: Record<keyof T, true>; optional: Record<OptionalKeys<T>, true> };

const documentFields: Fields<TraceDocument> = {
  all: {
    format: true, version: true, id: true, createdAt: true, question: true, groundTruth: true, prompt: true, model: true,
    sampling: true, budget: true, delimiters: true, tokens: true, events: true, thinkingTokens: true, answerTokens: true,
    answer: true, stopReason: true, generator: true, timing: true, parent: true, tokenCounts: true,
  },
  optional: { timing: true, parent: true, tokenCounts: true },
};
const tokenFields: Fields<TraceToken> = {
  all: { id: true, text: true, logprob: true, entropy: true, top: true, source: true, phase: true },
  optional: {},
};
const alternativeFields: Fields<TokenAlternative> = { all: { id: true, text: true, logprob: true }, optional: {} };
const eventFields: Fields<TraceEvent> = {
  all: { kind: true, at: true, wanted: true, injected: true, thinkingTokens: true, detail: true, branchTraceId: true },
  optional: { wanted: true, injected: true, thinkingTokens: true, detail: true, branchTraceId: true },
};
const wantedFields: Fields<WantedToken> = { all: { id: true, text: true, logprob: true }, optional: {} };
const modelFields: Fields<ModelInfo> = {
  all: { name: true, path: true, sha256: true, engine: true, chatTemplate: true, backend: true, endpoint: true },
  optional: { backend: true, endpoint: true },
};
const samplingFields: Fields<SamplingSettings> = {
  all: { temperature: true, topK: true, topP: true, minP: true, seed: true },
  optional: { minP: true },
};
const budgetFields: Fields<BudgetSettings> = {
  all: { minThinkingTokens: true, maxThinkingTokens: true, ignoreEnd: true, extendWith: true, answerPrefix: true, maxAnswerTokens: true },
  optional: {},
};
const delimiterFields: Fields<Delimiters> = { all: { thinkStart: true, thinkEnd: true }, optional: {} };
const generatorFields: Fields<GeneratorInfo> = { all: { name: true, version: true }, optional: {} };
const timingFields: Fields<TraceTiming> = {
  all: { startedAt: true, durationMs: true, promptTokens: true, tokensPerSecond: true },
  optional: {},
};
const parentFields: Fields<TraceParent> = { all: { traceId: true, forkAt: true, relation: true }, optional: {} };

const pairs: Array<[ObjectSpec, Fields<object>]> = [
  [TRACE_SPEC, documentFields],
  [TOKEN_SPEC, tokenFields],
  [ALTERNATIVE_SPEC, alternativeFields],
  [EVENT_SPEC, eventFields],
  [WANTED_SPEC, wantedFields],
  [MODEL_SPEC, modelFields],
  [SAMPLING_SPEC, samplingFields],
  [BUDGET_SPEC, budgetFields],
  [DELIMITERS_SPEC, delimiterFields],
  [GENERATOR_SPEC, generatorFields],
  [TIMING_SPEC, timingFields],
  [PARENT_SPEC, parentFields],
];

const sorted = (keys: Iterable<string>) => [...keys].sort();

describe('trace field descriptions match the TypeScript types', () => {
  test('every object kind is described once', () => {
    assert.equal(TRACE_OBJECT_SPECS.length, pairs.length);
    assert.equal(new Set(TRACE_OBJECT_SPECS.map((s) => s.name)).size, pairs.length);
  });

  for (const [spec, fields] of pairs) {
    test(`${spec.name}: same fields, same optional fields`, () => {
      assert.deepEqual(sorted(spec.fields.map((f) => f.key)), sorted(Object.keys(fields.all)));
      assert.deepEqual(sorted(spec.fields.filter((f) => !f.required).map((f) => f.key)), sorted(Object.keys(fields.optional)));
      for (const f of spec.fields) assert.ok(f.description.length > 0, `${spec.name}.${f.key} has a description`);
    });
  }

  test('enum values', () => {
    const kinds: Record<TraceEventKind, true> = {
      'suppressed-end': true, 'forced-end': true, 'natural-end': true, 'thinking-reopened': true, 'eos-in-thinking': true,
      'answer-cap': true, 'context-full': true, cancelled: true, interrupted: true, 'user-injected': true,
      'user-chose-token': true, 'user-forced-end': true, rewind: true, paused: true,
    };
    const stops: Record<StopReason, true> = {
      eos: true, 'answer-cap': true, 'context-full': true, cancelled: true, interrupted: true, error: true, imported: true,
    };
    const sources: Record<TokenSource, true> = { model: true, injected: true, forced: true };
    const phases: Record<TokenPhase, true> = { thinking: true, answer: true };
    const counts: Record<NonNullable<TraceDocument['tokenCounts']>, true> = { exact: true, tokenizer: true, estimated: true };
    const relations: Record<TraceParent['relation'], true> = { fork: true, sweep: true, 'abandoned-branch': true };
    assert.deepEqual(sorted(TRACE_EVENT_KINDS), sorted(Object.keys(kinds)));
    assert.deepEqual(sorted(STOP_REASONS), sorted(Object.keys(stops)));
    assert.deepEqual(sorted(TOKEN_SOURCES), sorted(Object.keys(sources)));
    assert.deepEqual(sorted(TOKEN_PHASES), sorted(Object.keys(phases)));
    assert.deepEqual(sorted(TOKEN_COUNT_KINDS), sorted(Object.keys(counts)));
    assert.deepEqual(sorted(PARENT_RELATIONS), sorted(Object.keys(relations)));
  });

  test('events and tokens come last in the document, in that order', () => {
    assert.deepEqual(TRACE_SPEC.fields.slice(-2).map((f) => f.key), ['events', 'tokens']);
  });
});
