import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InputError,
  TraceFormatError,
  isTraceDocument,
  isTraceViewOutbound,
  parseAnalyzeParams,
  parseBudget,
  parseBudgetSettings,
  parseGenerateParams,
  parseSampling,
  parseSamplingSettings,
  parseTraceDocument,
  parseTraceViewOutbound,
} from '../../protocol/guards';
import type { TraceDocument } from '../../protocol/trace';
import { sampleTrace, syntheticTrace } from './fixtures';

/** Marks a field to delete in `changed`. */
const DELETE = Symbol('delete');
type Edit = [path: (string | number)[], value: unknown];

/** A copy of the sample trace with each value at `path` set (or deleted, for DELETE). */
function changed(...edits: Edit[]): Record<string, unknown> {
  const trace = JSON.parse(JSON.stringify(sampleTrace())) as Record<string, unknown>;
  for (const [path, value] of edits) {
    let parent = trace as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
  }
  return trace;
}

/** The value at `path` in `value`. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown>)[key];
  return v;
}

const modelToken = (id: number, text: string, phase: 'thinking' | 'answer') => ({
  id,
  text,
  logprob: -1,
  entropy: 1,
  top: [],
  source: 'model',
  phase,
});

function rejects(value: unknown, message: string | RegExp, rule?: string): TraceFormatError {
  let caught: unknown;
  try {
    parseTraceDocument(value, 'trace.json');
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TraceFormatError, `expected a TraceFormatError, got ${String(caught)}`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  if (rule) assert.equal(caught.rule, rule);
  return caught;
}

describe('parseTraceDocument: accepts', () => {
  test('the sample trace, returning the same object', () => {
    const t = sampleTrace();
    assert.equal(parseTraceDocument(t), t);
    assert.equal(isTraceDocument(t), true);
  });

  test('a synthetic trace of 10,000 tokens', () => {
    const t = syntheticTrace(10_000);
    assert.equal(parseTraceDocument(t), t);
  });

  test('unknown fields anywhere, kept as they are', () => {
    const t = changed(
      [['futureField'], { nested: [1, 'two', null] }],
      [['tokens', 0, 'heat'], 0.3],
      [['tokens', 0, 'top', 0, 'rank'], 1],
      [['events', 0, 'note'], 'kept'],
      [['model', 'quantization'], 'Q4_K_M'],
    );
    const parsed = parseTraceDocument(t);
    assert.deepEqual(at(parsed, 'futureField'), { nested: [1, 'two', null] });
    assert.equal(at(parsed, 'tokens', 0, 'heat'), 0.3);
    assert.equal(at(parsed, 'tokens', 0, 'top', 0, 'rank'), 1);
    assert.equal(at(parsed, 'events', 0, 'note'), 'kept');
    assert.equal(at(parsed, 'model', 'quantization'), 'Q4_K_M');
  });

  test('an empty trace (cancelled before the first token)', () => {
    const t = changed(
      [['tokens'], []],
      [['events'], [{ kind: 'cancelled', at: 0 }]],
      [['thinkingTokens'], 0],
      [['answerTokens'], 0],
      [['answer'], ''],
      [['stopReason'], 'cancelled'],
    );
    assert.ok(parseTraceDocument(t));
  });

  test('thinking reopened in the answer where a thinking-reopened event says so', () => {
    const t = changed(
      [['tokens', 7], modelToken(1, '<think>', 'thinking')],
      [['tokens', 8], modelToken(2, '</think>', 'answer')],
      [['tokens', 9], modelToken(3, ' 5', 'answer')],
      [['events', 2], { kind: 'thinking-reopened', at: 7 }],
      [['thinkingTokens'], 5],
      [['answerTokens'], 5],
      [['answer'], '5'],
    );
    assert.ok(parseTraceDocument(t));
  });

  test('counts that are not exact when tokenCounts says they were estimated', () => {
    assert.ok(parseTraceDocument(changed([['tokenCounts'], 'estimated'], [['thinkingTokens'], 900])));
  });

  test('a log-probability a rounding error above 0, and an id of -1 (unknown)', () => {
    assert.ok(parseTraceDocument(changed([['tokens', 0, 'logprob'], 1e-7], [['tokens', 0, 'id'], -1])));
  });
});

describe('parseTraceDocument: rejects, naming the place', () => {
  test('a value that is not an object', () => {
    rejects([], 'trace.json: the trace must be a JSON object (a ThinkScope trace), got an array of 0');
    rejects(null, 'trace.json: the trace must be a JSON object (a ThinkScope trace), got null');
    rejects('{"format":"thinkscope.trace"}', /got "\{\\"format/);
  });

  test('a missing or wrong format', () => {
    rejects(changed([['format'], DELETE]), 'trace.json: format is missing: this is not a ThinkScope trace (it must be "thinkscope.trace")');
    rejects(changed([['format'], 'other.trace']), 'trace.json: format must be "thinkscope.trace", got "other.trace": this is not a ThinkScope trace');
  });

  test('a newer format version, with a clear message', () => {
    const e = rejects(
      changed([['version'], 2]),
      'trace.json: the trace was written by a newer ThinkScope (format version 2); this version reads version 1. Update ThinkScope to open it',
      'version',
    );
    assert.deepEqual(e.path, ['version']);
  });

  test('a version that is not 1', () => {
    rejects(changed([['version'], 0]), 'trace.json: version must be 1, got 0', 'version');
    rejects(changed([['version'], '1']), 'trace.json: version must be 1, got "1"');
    rejects(changed([['version'], DELETE]), 'trace.json: version must be 1, got nothing');
  });

  test('a newer version is reported before anything else it may have changed', () => {
    rejects(changed([['version'], 3], [['tokens'], 'changed']), /newer ThinkScope \(format version 3\)/);
  });

  test('a missing required field', () => {
    rejects(changed([['prompt'], DELETE]), 'trace.json: prompt is missing (it must be a string)');
    rejects(changed([['tokens', 3, 'logprob'], DELETE]), 'trace.json: tokens[3].logprob is missing (it must be a log-probability (a number ≤ 0) or null)');
    rejects(changed([['model', 'sha256'], DELETE]), /model\.sha256 is missing/);
    rejects(changed([['events', 1, 'at'], DELETE]), /events\[1\]\.at is missing/);
  });

  test('fields of the wrong type', () => {
    rejects(changed([['tokens', 5, 'logprob'], 'x']), 'trace.json: tokens[5].logprob must be a log-probability (a number ≤ 0) or null, got "x"');
    rejects(changed([['tokens', 0, 'text'], 5]), 'trace.json: tokens[0].text must be a string, got 5');
    rejects(changed([['tokens', 0, 'top'], {}]), 'trace.json: tokens[0].top must be an array, got an object');
    rejects(changed([['tokens', 0, 'top', 1, 'id'], 'a']), 'trace.json: tokens[0].top[1].id must be a non-negative integer, got "a"');
    rejects(changed([['tokens'], {}]), 'trace.json: tokens must be an array, got an object');
    rejects(changed([['tokens', 2], []]), 'trace.json: tokens[2] must be an object, got an array of 0');
    rejects(changed([['model'], null]), 'trace.json: model must be an object, got null');
    rejects(changed([['groundTruth'], 4]), 'trace.json: groundTruth must be a string or null, got 4');
    rejects(changed([['events', 0, 'wanted'], 'x']), 'trace.json: events[0].wanted must be an object, got "x"');
    rejects(changed([['events', 0, 'wanted', 'logprob'], true]), /events\[0\]\.wanted\.logprob must be a log-probability \(a number ≤ 0\) or null, got true/);
  });

  test('values out of range', () => {
    rejects(changed([['tokens', 0, 'logprob'], 0.5]), /tokens\[0\]\.logprob must be a log-probability \(a number ≤ 0\) or null, got 0.5/);
    rejects(changed([['tokens', 0, 'entropy'], -1]), /tokens\[0\]\.entropy must be an entropy \(a number ≥ 0\) or null, got -1/);
    rejects(changed([['tokens', 0, 'id'], -2]), /tokens\[0\]\.id must be an integer ≥ -1, got -2/);
    rejects(changed([['tokens', 0, 'id'], 1.5]), /tokens\[0\]\.id must be an integer ≥ -1, got 1.5/);
    rejects(changed([['tokens', 0, 'id'], 2 ** 53]), /tokens\[0\]\.id must be an integer ≥ -1, got 9007199254740992/);
    rejects(changed([['tokens', 0, 'logprob'], -Infinity]), /tokens\[0\]\.logprob must be .* got -Infinity/);
    rejects(changed([['tokens', 0, 'logprob'], NaN]), /tokens\[0\]\.logprob must be .* got NaN/);
    rejects(changed([['sampling', 'topP'], 0]), 'trace.json: sampling.topP must be a number in (0, 1], got 0');
    rejects(changed([['sampling', 'topP'], 1.5]), 'trace.json: sampling.topP must be a number in (0, 1], got 1.5');
    rejects(changed([['sampling', 'temperature'], -0.1]), 'trace.json: sampling.temperature must be a number ≥ 0, got -0.1');
    rejects(changed([['sampling', 'minP'], 1]), 'trace.json: sampling.minP must be a number in [0, 1), got 1');
    rejects(changed([['budget', 'maxAnswerTokens'], 0]), 'trace.json: budget.maxAnswerTokens must be a positive integer, got 0');
    rejects(changed([['budget', 'extendWith'], '']), 'trace.json: budget.extendWith must be a non-empty string, got ""');
    rejects(changed([['model', 'sha256'], 'abc']), 'trace.json: model.sha256 must be 64 hexadecimal digits or null, got "abc"');
    rejects(changed([['createdAt'], 'yesterday']), /createdAt must be an ISO 8601 date-time like "2025-01-31T12:00:00.000Z", got "yesterday"/);
    rejects(changed([['id'], '']), 'trace.json: id must be a non-empty string, got ""');
  });

  test('enums', () => {
    rejects(changed([['tokens', 1, 'source'], 'user']), 'trace.json: tokens[1].source must be one of "model", "injected", "forced", got "user"');
    rejects(changed([['tokens', 1, 'phase'], 'prompt']), 'trace.json: tokens[1].phase must be one of "thinking", "answer", got "prompt"');
    rejects(changed([['events', 0, 'kind'], 'explosion']), /events\[0\]\.kind must be one of "suppressed-end", .* got "explosion"/);
    rejects(changed([['stopReason'], 'done']), /stopReason must be one of "eos", .* got "done"/);
    rejects(changed([['generator', 'name'], 'other']), 'trace.json: generator.name must be "thinkscope", got "other"');
    rejects(changed([['tokenCounts'], 'guessed']), /tokenCounts must be one of "exact", "tokenizer", "estimated", got "guessed"/);
  });

  test('a long string is shortened in the message', () => {
    const e = rejects(changed([['stopReason'], 'y'.repeat(1000)]), /got "y{40}…" \(1000 characters\)/);
    assert.ok(e.message.length < 300);
  });

  test('odd keys are quoted in the path', () => {
    rejects(changed([['tokens', 0, 'a b'], JSON.parse('[1e999]')]), 'trace.json: tokens[0]["a b"][0] must be a finite number, got Infinity (a number that large cannot be written back)');
  });
});

describe('parseTraceDocument: invariants', () => {
  test('an injected or forced token with a log-probability', () => {
    rejects(changed([['tokens', 2, 'logprob'], -0.5]), 'trace.json: tokens[2].logprob must be null for a token whose source is "injected", got -0.5', 'invariant');
    rejects(changed([['tokens', 5, 'logprob'], -0.5]), /tokens\[5\]\.logprob must be null for a token whose source is "forced"/);
  });

  test('thinking after the answer without a thinking-reopened event', () => {
    rejects(
      changed([['tokens', 5, 'phase'], 'thinking'], [['thinkingTokens'], 5], [['answerTokens'], 2]),
      'trace.json: tokens[5].phase is "thinking" after an answer token, but no "thinking-reopened" event is at this index',
      'invariant',
    );
  });

  test('an event past the end of the tokens', () => {
    rejects(changed([['events', 1, 'at'], 8]), 'trace.json: events[1].at must be at most 7 (the number of tokens), got 8', 'invariant');
    assert.ok(parseTraceDocument(changed([['events', 1, 'at'], 7])));
  });

  test('token counts that do not match the tokens', () => {
    rejects(changed([['thinkingTokens'], 5]), 'trace.json: thinkingTokens must be 4 (the tokens whose phase is "thinking"), got 5', 'invariant');
    rejects(changed([['answerTokens'], 2]), 'trace.json: answerTokens must be 3 (the tokens whose phase is "answer"), got 2', 'invariant');
    rejects(changed([['tokenCounts'], 'exact'], [['answerTokens'], 9]), /answerTokens must be 3/);
  });

  test('an answer that is not the answer-phase text after the delimiter', () => {
    rejects(
      changed([['answer'], '5']),
      'trace.json: answer must be the answer-phase text after the last end-of-thinking delimiter, trimmed ("4"), got "5"',
      'invariant',
    );
  });

  test('a maximum thinking budget below the minimum', () => {
    rejects(
      changed([['budget', 'maxThinkingTokens'], 2]),
      'trace.json: budget.maxThinkingTokens (2) is below budget.minThinkingTokens (4): thinking cannot stop before its minimum',
      'invariant',
    );
  });

  test('shape problems are reported before invariants', () => {
    rejects(changed([['answer'], 'wrong'], [['thinkingTokens'], -1]), /thinkingTokens must be a non-negative integer, got -1/, 'structure');
  });
});

describe('parseTraceDocument: unknown values', () => {
  test('nested too deep', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 150; i++) deep = [deep];
    const e = rejects(changed([['tokens', 0, 'extra'], deep]), /tokens\[0\]\.extra(\[0\])+ is nested more than 100 levels deep/, 'limit');
    assert.equal(e.path.length, 100);
  });

  test('a hundred thousand levels deep does not overflow the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    rejects(changed([['extra'], deep]), /nested more than 100 levels deep/, 'limit');
  });

  test('a number JSON.parse read as Infinity', () => {
    rejects(changed([['events', 0, 'score'], JSON.parse('1e400')]), /events\[0\]\.score must be a finite number, got Infinity/, 'limit');
  });

  test('values that are not JSON', () => {
    rejects(changed([['extra'], () => 1]), /extra is not a JSON value \(got a function\)/);
    rejects(changed([['extra'], new Map()]), /extra is not a plain JSON object/);
    rejects(changed([['extra'], [1, undefined]]), /extra\[1\] is not a JSON value \(got nothing\)/);
  });

  test('a cycle is caught by the depth limit', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    rejects(changed([['extra'], cyclic]), /nested more than 100 levels deep/);
  });

  test('unknown fields with undefined values are absent', () => {
    const t = sampleTrace() as TraceDocument & { gone?: undefined };
    t.gone = undefined;
    assert.ok(parseTraceDocument(t));
  });
});

describe('parseBudget and parseBudgetSettings', () => {
  const bad = (value: unknown, message: string) => {
    assert.throws(() => parseBudget(value), (e: unknown) => e instanceof InputError && e.message === message);
  };

  test('accepts partial overrides and returns them', () => {
    const b = { maxThinkingTokens: 100 };
    assert.equal(parseBudget(b), b);
    assert.deepEqual(parseBudget({}), {});
    assert.deepEqual(parseBudget({ maxThinkingTokens: null, ignoreEnd: 2, extendWith: 'Hmm' }), { maxThinkingTokens: null, ignoreEnd: 2, extendWith: 'Hmm' });
  });

  test('rejects a budget of -1, non-integers, NaN and huge numbers', () => {
    bad({ maxThinkingTokens: -1 }, 'budget.maxThinkingTokens must be a non-negative integer or null, got -1');
    bad({ minThinkingTokens: 2.5 }, 'budget.minThinkingTokens must be a non-negative integer, got 2.5');
    bad({ minThinkingTokens: NaN }, 'budget.minThinkingTokens must be a non-negative integer, got NaN');
    bad({ maxAnswerTokens: 1e300 }, 'budget.maxAnswerTokens must be a positive integer, got 1e+300');
    bad({ maxAnswerTokens: '5' }, 'budget.maxAnswerTokens must be a positive integer, got "5"');
    bad({ maxAnswerTokens: 0 }, 'budget.maxAnswerTokens must be a positive integer, got 0');
  });

  test('rejects max < min', () => {
    bad(
      { minThinkingTokens: 200, maxThinkingTokens: 100 },
      'budget.maxThinkingTokens (100) is below budget.minThinkingTokens (200): thinking cannot stop before its minimum',
    );
  });

  test('reports unknown keys, with a suggestion', () => {
    bad(
      { maxThinking: 5, colour: 'red' },
      'budget has unknown keys "maxThinking" (did you mean "maxThinkingTokens"?), "colour"; known keys: minThinkingTokens, maxThinkingTokens, ignoreEnd, extendWith, answerPrefix, maxAnswerTokens',
    );
  });

  test('rejects a value that is not an object', () => {
    bad(null, 'budget must be an object, got null');
    bad([1], 'budget must be an object, got an array of 1');
  });

  test('complete settings need every field', () => {
    assert.ok(parseBudgetSettings(sampleTrace().budget));
    assert.throws(() => parseBudgetSettings({ minThinkingTokens: 0 }), /budget\.maxThinkingTokens is missing/);
  });
});

describe('parseSampling and parseSamplingSettings', () => {
  const bad = (value: unknown, message: string) => {
    assert.throws(() => parseSampling(value), (e: unknown) => e instanceof InputError && e.message === message);
  };

  test('accepts partial overrides', () => {
    assert.deepEqual(parseSampling({ temperature: 0.6, topP: 0.95 }), { temperature: 0.6, topP: 0.95 });
    assert.deepEqual(parseSampling({ seed: -7 }), { seed: -7 });
  });

  test('rejects out-of-range values', () => {
    bad({ temperature: -1 }, 'sampling.temperature must be a number ≥ 0, got -1');
    bad({ temperature: Infinity }, 'sampling.temperature must be a number ≥ 0, got Infinity');
    bad({ topP: 0 }, 'sampling.topP must be a number in (0, 1], got 0');
    bad({ topP: 1.01 }, 'sampling.topP must be a number in (0, 1], got 1.01');
    bad({ topK: -1 }, 'sampling.topK must be a non-negative integer, got -1');
    bad({ topK: 1.5 }, 'sampling.topK must be a non-negative integer, got 1.5');
    bad({ minP: -0.1 }, 'sampling.minP must be a number in [0, 1), got -0.1');
    bad({ seed: 0.5 }, 'sampling.seed must be an integer, got 0.5');
  });

  test('reports unknown keys', () => {
    bad({ temp: 1 }, 'sampling has unknown key "temp" (did you mean "temperature"?); known keys: temperature, topK, topP, minP, seed');
  });

  test('complete settings', () => {
    assert.ok(parseSamplingSettings({ temperature: 0, topK: 0, topP: 1, seed: 1 }));
    assert.throws(() => parseSamplingSettings({ temperature: 0 }), /sampling\.topK is missing/);
  });
});

describe('parseGenerateParams', () => {
  const where = 'thinkscope/generate params';
  const ok = { runId: 'run-1', question: 'What is 2 + 2?' };

  test('accepts the minimal and the full form', () => {
    assert.equal(parseGenerateParams(ok), ok);
    assert.ok(
      parseGenerateParams({
        ...ok,
        groundTruth: null,
        sampling: { temperature: 0 },
        budget: { maxThinkingTokens: 0 },
        outPath: '/tmp/out.trace.json',
      }),
    );
    assert.ok(parseGenerateParams({ ...ok, outPath: 'C:\\traces\\a.trace.json' }));
  });

  test('names the bad field', () => {
    const bad = (value: unknown, message: string) => {
      assert.throws(() => parseGenerateParams(value), (e: unknown) => e instanceof InputError && e.message === `${where}: ${message}`);
    };
    bad(undefined, 'the request must be an object, got nothing');
    bad({ question: 'q' }, 'runId is missing (it must be a non-empty string)');
    bad({ ...ok, runId: '' }, 'runId must be a non-empty string, got ""');
    bad({ ...ok, runId: 'r'.repeat(201) }, 'runId must be at most 200 characters, got 201');
    bad({ ...ok, question: 42 }, 'question must be a string, got 42');
    bad({ ...ok, budget: { maxThinkingTokens: -1 } }, 'budget.maxThinkingTokens must be a non-negative integer or null, got -1');
    bad({ ...ok, budget: { minThinkingTokens: 9, maxThinkingTokens: 3 } }, 'budget.maxThinkingTokens (3) is below budget.minThinkingTokens (9): thinking cannot stop before its minimum');
    bad({ ...ok, sampling: { topK: -3 } }, 'sampling.topK must be a non-negative integer, got -3');
    bad({ ...ok, sampling: 'greedy' }, 'sampling must be an object, got "greedy"');
    bad({ ...ok, outPath: 'relative/out.json' }, 'outPath must be an absolute file path, got "relative/out.json"');
    bad({ ...ok, outPath: '/tmp/a\0b' }, 'outPath must not contain a NUL character');
    bad({ ...ok, questoin: 'x' }, 'the request has unknown key "questoin" (did you mean "question"?); known keys: runId, question, groundTruth, sampling, budget, outPath');
  });
});

describe('parseAnalyzeParams', () => {
  test('accepts a trace and cues', () => {
    assert.ok(parseAnalyzeParams({ trace: sampleTrace(), cues: ['Wait', 'Hmm'] }));
    assert.ok(parseAnalyzeParams({ trace: sampleTrace() }));
  });

  test('rejects a bad trace, bad cues and unknown keys', () => {
    assert.throws(() => parseAnalyzeParams({ trace: { ...sampleTrace(), version: 9 } }), /newer ThinkScope/);
    assert.throws(() => parseAnalyzeParams({}), /trace is missing/);
    assert.throws(() => parseAnalyzeParams({ trace: sampleTrace(), cues: 'Wait' }), /cues must be an array of strings, got "Wait"/);
    assert.throws(() => parseAnalyzeParams({ trace: sampleTrace(), cues: ['Wait', ''] }), /cues\[1\] must be a non-empty string/);
    assert.throws(() => parseAnalyzeParams({ trace: sampleTrace(), extra: 1 }), /unknown key "extra"/);
  });
});

describe('trace view messages', () => {
  test('accepts the three message kinds', () => {
    for (const m of [{ type: 'ready' }, { type: 'position', token: 0 }, { type: 'position', token: 41 }, { type: 'error', message: 'x' }]) {
      assert.equal(isTraceViewOutbound(m), true, JSON.stringify(m));
      assert.equal(parseTraceViewOutbound(m), m);
    }
  });

  test('rejects anything else', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      {},
      { type: 'openFile', path: '/etc/passwd' },
      { type: 'ready', extra: 1 },
      { type: 'position' },
      { type: 'position', token: -1 },
      { type: 'position', token: 1.5 },
      { type: 'position', token: '3' },
      { type: 'position', token: 2 ** 60 },
      { type: 'error' },
      { type: 'error', message: 5 },
      { type: 'error', message: 'x'.repeat(64 * 1024 + 1) },
    ];
    for (const m of bad) assert.equal(isTraceViewOutbound(m), false, JSON.stringify(m)?.slice(0, 80));
  });

  test('messages say what is wrong', () => {
    assert.throws(() => parseTraceViewOutbound({ type: 'openFile' }), /trace view message: type must be one of "ready", "position", "error", got "openFile"/);
    assert.throws(() => parseTraceViewOutbound({ type: 'position', token: -1 }), /token must be a non-negative integer, got -1/);
    assert.throws(() => parseTraceViewOutbound({ type: 'ready', path: '/x' }), /has unknown key "path"/);
  });
});
