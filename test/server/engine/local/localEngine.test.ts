/**
 * Budget forcing on the real node-llama-cpp with the generated tiny model: the rules hold for
 * many seeds and budgets, traces are reproducible, sweeps and forks are exact.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BudgetSettings, SamplingSettings, TraceDocument } from '../../../../protocol/trace';
import { DEFAULT_BUDGET, DEFAULT_SAMPLING } from '../../../../server/core/defaults';
import type { GenerationRequest } from '../../../../server/engine/engine';
import { LocalEngine } from '../../../../server/engine/local/localEngine';
import { runNaiveSweep, runSharedSweep } from '../../../../server/engine/local/sweep';
import { S1_DELIMITERS } from '../../../../server/engine/prompt';
import { writeTinyModel } from '../../../../server/tinymodel';

const dir = mkdtempSync(join(tmpdir(), 'thinkscope-engine-'));
let engine: LocalEngine;

const request = (budget: Partial<BudgetSettings> = {}, sampling: Partial<SamplingSettings> = {}, question = 'What is 12 + 30?'): GenerationRequest => ({
  question,
  groundTruth: null,
  sampling: { ...DEFAULT_SAMPLING, ...sampling },
  budget: { ...DEFAULT_BUDGET, maxAnswerTokens: 24, ...budget },
  delimiters: null,
  topAlternatives: 5,
});

const text = (t: TraceDocument) => t.tokens.map((x) => x.text).join('');
const ids = (t: TraceDocument) => t.tokens.map((x) => `${x.id}:${x.source}:${x.phase}`);

/** The rules every budget-forced trace obeys. */
function checkInvariants(trace: TraceDocument): void {
  const { budget, tokens, events } = trace;
  const where = `seed ${trace.sampling.seed}, budget ${JSON.stringify(budget)}`;
  assert.equal(trace.thinkingTokens + trace.answerTokens, tokens.length, where);
  assert.equal(tokens.filter((t) => t.phase === 'thinking').length, trace.thinkingTokens, where);
  if (budget.maxThinkingTokens !== null) {
    // A cut may wait for a multi-byte character to complete.
    assert.ok(trace.thinkingTokens <= budget.maxThinkingTokens + 3, `thinking ${trace.thinkingTokens} over the maximum (${where})`);
  }
  assert.ok(trace.answer.length > 0 || trace.stopReason === 'cancelled', `an answer always exists (${where})`);
  for (const e of events) {
    assert.ok(e.at >= 0 && e.at <= tokens.length, `event ${e.kind} at ${e.at} within the trace`);
    if (e.kind === 'suppressed-end') {
      assert.equal(e.wanted?.text, trace.delimiters.thinkEnd.slice(0, e.wanted?.text.length));
      assert.equal(typeof e.wanted?.logprob, 'number');
      const injected = tokens.slice(e.at).filter((_t, i, a) => a.slice(0, i + 1).every((u) => u.source === 'injected'));
      assert.equal(injected.map((t) => t.text).join('').trim(), budget.extendWith.trim(), where);
      assert.equal(tokens[e.at]!.phase, 'thinking');
      if (budget.ignoreEnd === null) assert.ok((e.thinkingTokens ?? 0) < budget.minThinkingTokens, where);
    }
    if (e.kind === 'forced-end') {
      const forced = tokens.slice(e.at).filter((_t, i, a) => a.slice(0, i + 1).every((u) => u.source === 'forced'));
      assert.equal(forced.map((t) => t.text).join(''), e.injected, where);
      assert.ok(forced.every((t) => t.phase === 'answer' && t.logprob === null));
    }
    if (e.kind === 'natural-end' && budget.ignoreEnd === null) {
      assert.ok((e.thinkingTokens ?? 0) >= budget.minThinkingTokens, `natural end below the minimum (${where})`);
    }
  }
  for (const t of tokens) {
    if (t.source === 'model') {
      assert.equal(typeof t.logprob, 'number');
      assert.ok(t.logprob! <= 1e-6 && t.entropy! >= 0);
      assert.ok(t.top.length > 0 && t.top.length <= 5);
    } else {
      assert.equal(t.logprob, null);
    }
  }
  // Thinking comes first; the answer starts at the end delimiter.
  const firstAnswer = tokens.findIndex((t) => t.phase === 'answer');
  if (firstAnswer >= 0 && !events.some((e) => e.kind === 'thinking-reopened')) {
    assert.ok(tokens.slice(firstAnswer).every((t) => t.phase === 'answer'), where);
    assert.ok(text(trace).slice(0).includes(trace.delimiters.thinkEnd), where);
  }
}

describe('local engine with budget forcing', () => {
  before(async () => {
    const modelPath = join(dir, 'tiny.gguf');
    await writeTinyModel(modelPath, { seed: 0 });
    engine = await LocalEngine.load({
      settings: { modelPath, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
      cacheDir: join(dir, 'cache'),
    });
  });
  after(async () => engine?.dispose());

  test('the model file is described and hashed', async () => {
    const info = await engine.modelInfo();
    assert.match(info.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(info.engine, 'local');
    assert.equal(engine.describe().backend, 'cpu');
    assert.deepEqual(engine.defaultDelimiters(), { thinkStart: '<think>', thinkEnd: '</think>' });
  });

  test('rules hold over many seeds and budgets', async () => {
    const budgets: Array<Partial<BudgetSettings>> = [
      {},
      { maxThinkingTokens: 0 },
      { maxThinkingTokens: 7 },
      { maxThinkingTokens: 40 },
      { minThinkingTokens: 60 },
      { ignoreEnd: 2 },
      { minThinkingTokens: 30, maxThinkingTokens: 50, extendWith: 'Hmm' },
    ];
    let suppressed = 0;
    let forced = 0;
    for (let seed = 0; seed < 6; seed++) {
      for (const b of budgets) {
        const trace = await engine.generate(request({ ...b }, { temperature: seed === 0 ? 0 : 0.8, seed }));
        checkInvariants(trace);
        suppressed += trace.events.filter((e) => e.kind === 'suppressed-end').length;
        forced += trace.events.filter((e) => e.kind === 'forced-end').length;
      }
    }
    assert.ok(suppressed > 5, `ends were suppressed (${suppressed})`);
    assert.ok(forced > 5, `ends were forced (${forced})`);
  });

  test('a budget of 0 answers at once', async () => {
    const trace = await engine.generate(request({ maxThinkingTokens: 0 }));
    assert.equal(trace.thinkingTokens, 0);
    assert.equal(trace.events[0]?.kind, 'forced-end');
    assert.equal(trace.events[0]?.at, 0);
    assert.ok(text(trace).startsWith('</think>\nFinal Answer:'));
  });

  test('the same seed and settings give the same trace, token for token', async () => {
    const a = await engine.generate(request({ ignoreEnd: 1, maxThinkingTokens: 120 }, { temperature: 0.9, seed: 42, topK: 20, topP: 0.9 }));
    const b = await engine.generate(request({ ignoreEnd: 1, maxThinkingTokens: 120 }, { temperature: 0.9, seed: 42, topK: 20, topP: 0.9 }));
    assert.deepEqual(a.tokens, b.tokens);
    assert.deepEqual(a.events, b.events);
    const c = await engine.generate(request({ ignoreEnd: 1, maxThinkingTokens: 120 }, { temperature: 0.9, seed: 43, topK: 20, topP: 0.9 }));
    assert.notDeepEqual(ids(a), ids(c));
  });

  test("s1's <|im_start|>think / <|im_start|>answer delimiters work", async () => {
    for (const budget of [{ maxThinkingTokens: 20 }, { ignoreEnd: 1 }, {}]) {
      const trace = await engine.generate({ ...request(budget), delimiters: S1_DELIMITERS });
      assert.ok(trace.prompt.endsWith('<|im_start|>think\n'));
      checkInvariants(trace);
      const end = trace.events.find((e) => e.kind === 'forced-end' || e.kind === 'natural-end' || e.kind === 'eos-in-thinking');
      assert.ok(end, 'thinking ended');
      assert.ok(text(trace).includes('<|im_start|>answer'));
    }
  });

  test('a fork with the same settings reproduces the rest of a greedy trace, reusing the cache', async () => {
    const original = await engine.generate(request({ ignoreEnd: 2 }));
    const at = Math.floor(original.tokens.length / 2);
    const fork = await engine.fork(original, at, request({ ignoreEnd: 2 }));
    assert.deepEqual(ids(fork), ids(original));
    assert.deepEqual(fork.parent, { traceId: original.id, forkAt: at, relation: 'fork' });
    const other = await engine.fork(original, at, request({ maxThinkingTokens: at }));
    assert.deepEqual(ids(other).slice(0, at), ids(original).slice(0, at));
  });

  test('a shared sweep is token for token the separate runs, and cheaper', async () => {
    const cells: BudgetSettings[] = [];
    for (const ignoreEnd of [0, 1, 2]) {
      for (const max of [8, 24, 64, 160]) cells.push({ ...DEFAULT_BUDGET, maxAnswerTokens: 24, maxThinkingTokens: max, ignoreEnd });
    }
    const base = request();
    const shared = await runSharedSweep(engine, base, cells);
    const naive = await runNaiveSweep(engine, base, cells);
    cells.forEach((cell, i) => {
      const s = shared.traces[i]!;
      const n = naive.traces[i]!;
      assert.deepEqual(ids(s), ids(n), `cell ${JSON.stringify(cell)}`);
      assert.deepEqual(s.events.map((e) => [e.kind, e.at]), n.events.map((e) => [e.kind, e.at]));
      assert.deepEqual(s.budget, cell);
    });
    assert.ok(shared.evaluatedTokens < naive.evaluatedTokens, `${shared.evaluatedTokens} < ${naive.evaluatedTokens}`);
  });

  test('cancelling yields a valid partial trace marked cancelled', async () => {
    const controller = new AbortController();
    let steps = 0;
    const trace = await engine.generate(request({ minThinkingTokens: 1000 }), {
      signal: controller.signal,
      onStep: () => {
        if (++steps === 30) controller.abort();
      },
    });
    assert.equal(trace.stopReason, 'cancelled');
    assert.equal(trace.tokens.length, 30);
    assert.equal(trace.events.at(-1)?.kind, 'cancelled');
  });
});
