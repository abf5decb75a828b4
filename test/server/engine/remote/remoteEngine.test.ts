/**
 * The remote engine against a real OpenAI-compatible server (test/support/openaiServer.ts) backed
 * by the tiny model: with greedy settings it gives the same trace as the local engine on the same
 * model — token for token, intervention for intervention — for every kind of budget.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RemoteTraceInfo } from '../../../../protocol/remote';
import type { BudgetSettings, Delimiters, TraceDocument } from '../../../../protocol/trace';
import { LocalEngine } from '../../../../server/engine/local/localEngine';
import { S1_DELIMITERS } from '../../../../server/engine/prompt';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';
import { createRemoteEngine, RemoteEngine } from '../../../../server/engine/remote/remoteEngine';
import { startOpenAiServer, type OpenAiTestServer } from '../../../support/openaiServer';
import { assertSameTrace, assertValidTrace, loadLocal, request, tinyModelFiles, type TinyModelFiles } from '../../../support/remoteHarness';

let files: TinyModelFiles;
let local: LocalEngine;
let server: OpenAiTestServer;
let remote: RemoteEngine;

before(async () => {
  files = await tinyModelFiles();
  local = await loadLocal(files);
  server = await startOpenAiServer({ modelPath: files.modelPath });
  remote = await createRemoteEngine({ endpoint: server.url, model: server.modelName, chatTemplate: local.chatTemplate, concurrency: 2 });
});
after(async () => {
  await server?.close();
  await local?.dispose();
  await files?.remove();
});

const info = (trace: TraceDocument) => (trace as TraceDocument & { remote: RemoteTraceInfo }).remote;

const CASES: Array<[string, Partial<BudgetSettings>, Delimiters | null]> = [
  ['no budget: the model ends thinking itself', {}, null],
  ['a maximum: thinking is cut and the answer forced', { maxThinkingTokens: 12 }, null],
  ['a maximum of 0: answer at once', { maxThinkingTokens: 0 }, null],
  ['a maximum of 1', { maxThinkingTokens: 1 }, null],
  ['a minimum: ends below it are suppressed with Wait', { minThinkingTokens: 150 }, null],
  ['ignoreEnd 2: the first two ends are suppressed', { ignoreEnd: 2 }, null],
  ['minimum and maximum together', { minThinkingTokens: 125, maxThinkingTokens: 140 }, null],
  ['another extension string', { ignoreEnd: 1, extendWith: 'Alternatively,' }, null],
  ['a small answer cap', { maxThinkingTokens: 5, maxAnswerTokens: 3 }, null],
  ['an empty answer prefix', { maxThinkingTokens: 7, answerPrefix: '' }, null],
  ['s1 delimiters (a delimiter of several tokens)', { maxThinkingTokens: 30 }, S1_DELIMITERS],
  ['an extension string of multi-byte characters (tokens that end inside a character)', { ignoreEnd: 2, extendWith: 'Hmm… 漢🙂' }, null],
  ['a non-ASCII answer prefix', { maxThinkingTokens: 3, answerPrefix: 'Réponse finale :' }, null],
];

describe('greedy traces through the server equal local traces', () => {
  for (const [name, budget, delimiters] of CASES) {
    test(name, async () => {
      const req = request('What is 2 + 3?', budget, { delimiters });
      const [a, b] = [await local.generate(req), await remote.generate(req)];
      assertSameTrace(b, a, name);
      assertValidTrace(b);
      assert.equal(b.tokenCounts, 'exact');
      assert.deepEqual(
        { ...info(b), requests: 0, entropy: 'none' },
        {
          server: 'vllm',
          logprobs: 'present',
          tokenIds: 'server',
          tokenCounting: 'logprobs',
          insertedTokens: 'tokenizer',
          continuation: 'tokens',
          entropy: 'none',
          requests: 0,
          retries: 0,
        },
      );
    });
  }

  test('other questions, and the interventions each budget makes', async () => {
    const kinds = new Set<string>();
    for (const question of ['How many apples are left?', 'Find x if 3x = 12.', 'Is 7 prime?']) {
      for (const budget of [{}, { maxThinkingTokens: 20 }, { ignoreEnd: 1 }, { minThinkingTokens: 60, maxThinkingTokens: 90 }]) {
        const req = request(question, budget);
        const [a, b] = [await local.generate(req), await remote.generate(req)];
        assertSameTrace(b, a, `${question} ${JSON.stringify(budget)}`);
        for (const e of b.events) kinds.add(e.kind);
      }
    }
    for (const kind of ['natural-end', 'forced-end', 'suppressed-end']) assert.ok(kinds.has(kind), `no ${kind} event was exercised`);
  });

  test('a small context window: thinking is cut for room, then the answer stops at the full context, as locally', async () => {
    const small = await LocalEngine.load({
      settings: { modelPath: files.modelPath, gpu: 'cpu', gpuLayers: 0, contextSize: 64, threads: 1, topAlternatives: 5 },
      cacheDir: files.dir,
    });
    try {
      const contextSize = small.describe().contextSize;
      const cramped = await createRemoteEngine({ endpoint: server.url, model: server.modelName, chatTemplate: local.chatTemplate, contextSize });
      const req = request('What is 2 + 3?', { minThinkingTokens: 1000, maxAnswerTokens: 500 });
      const [a, b] = [await small.generate(req), await cramped.generate(req)];
      assertSameTrace(b, a);
      assert.deepEqual(b.events.slice(-2).map((e) => [e.kind, e.detail ?? null]), [
        ['forced-end', 'the context window is nearly full'],
        ['context-full', null],
      ]);
      assert.equal(b.stopReason, 'context-full');
    } finally {
      await small.dispose();
    }
  });

  test('the budget-forcing requests ask for one token past each remaining budget and stop on the delimiter', async () => {
    const before = server.requests.length;
    await remote.generate(request('What is 2 + 3?', { maxThinkingTokens: 12, maxAnswerTokens: 5 }));
    const bodies = server.requests.slice(before).filter((r) => r.path === '/v1/completions').map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(
      bodies.map((b) => [b.max_tokens, b.stop]),
      [
        [13, ['</think>']],
        // After the forced "</think>\nFinal Answer:" (5 tokens of the 5-token answer cap), one token to see what comes.
        [1, ['<think>']],
      ],
    );
    for (const b of bodies) {
      assert.equal(b.stream, true);
      assert.equal(b.temperature, 0);
      assert.equal(b.logprobs, 5);
      assert.ok(Array.isArray(b.prompt), 'the context goes as token ids');
    }
  });
});

describe('the remote engine', () => {
  test('records the remote model and the endpoint, no file path or hash', async () => {
    assert.deepEqual(await remote.modelInfo(), {
      name: 'thinkscope-tiny',
      path: null,
      sha256: null,
      engine: 'remote',
      chatTemplate: local.chatTemplate,
      backend: 'vllm',
      endpoint: server.url,
    });
    assert.deepEqual(remote.describe(), {
      kind: 'remote',
      modelName: 'thinkscope-tiny',
      modelPath: null,
      backend: 'vllm',
      gpuLayers: null,
      threads: null,
      contextSize: 2048,
    });
    assert.deepEqual(remote.defaultDelimiters(), local.defaultDelimiters());
    assert.equal(remote.buildPrompt('Q?', local.defaultDelimiters()), local.buildPrompt('Q?', local.defaultDelimiters()));
  });

  test('streams: the header first, then steps whose tokens are the final trace\'s', async () => {
    let started: TraceDocument | null = null;
    let steps = 0;
    let offset = 0;
    const streamed: string[] = [];
    const trace = await remote.generate(request('What is 2 + 3?', { ignoreEnd: 1 }), {
      onStarted: (t) => (started = t),
      onStep: (builder) => {
        steps++;
        const progress = builder.takeProgress('run');
        if (!progress) return;
        assert.equal(progress.offset, offset);
        offset += progress.tokens.length;
        streamed.push(...progress.tokens.map((t) => t.text));
      },
    });
    assert.ok(started !== null && (started as TraceDocument).tokens.length === 0);
    assert.ok(steps >= trace.tokens.length - 10, `${steps} steps for ${trace.tokens.length} tokens`);
    assert.deepEqual(streamed, trace.tokens.map((t) => t.text));
  });

  test('with sampling: the same seed gives the same trace, and it matches the local one up to the first intervention', async () => {
    const sampling = { temperature: 0.8, topK: 20, topP: 0.95, seed: 7 };
    const req = request('What is 2 + 3?', { maxThinkingTokens: 40 }, { sampling });
    const [b1, b2, a] = [await remote.generate(req), await remote.generate(req), await local.generate(req)];
    // (Logprobs may differ in the last digits: the server's KV cache is filled in different batches.)
    assertSameTrace(b2, b1, 'same seed');
    const first = a.events[0]!.at;
    assert.deepEqual(b1.tokens.slice(0, first).map((t) => t.text), a.tokens.slice(0, first).map((t) => t.text));
    const requests = server.requests.filter((r) => r.path === '/v1/completions').slice(-2).map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(requests.map((r) => [r.temperature, r.top_k, r.top_p]), [[0.8, 20, 0.95], [0.8, 20, 0.95]]);
  });

  test('cancelling mid-run gives a valid partial trace marked cancelled', async () => {
    const controller = new AbortController();
    const trace = await remote.generate(request('What is 2 + 3?', { minThinkingTokens: 400 }), {
      signal: controller.signal,
      onStep: (b) => {
        if (b.tokens.length === 30) controller.abort();
      },
    });
    assert.equal(trace.stopReason, 'cancelled');
    assert.equal(trace.events.at(-1)!.kind, 'cancelled');
    assert.ok(trace.tokens.length >= 30 && trace.tokens.length < 60, `${trace.tokens.length} tokens`);
    assertValidTrace(trace);
  });

  test('concurrent generations: at most `concurrency` reach the server, and each trace is what it would be alone', async () => {
    const reqs = [{}, { maxThinkingTokens: 10 }, { ignoreEnd: 1 }, { maxThinkingTokens: 3 }, { minThinkingTokens: 130 }].map((b) => request('Is 7 prime?', b));
    const alone: TraceDocument[] = [];
    for (const r of reqs) alone.push(await remote.generate(r));
    const together = await Promise.all(reqs.map((r) => remote.generate(r)));
    together.forEach((t, i) => assertSameTrace(t, alone[i]!, `request ${i}`));
    assert.ok(server.maxConcurrent <= 2, `the server saw ${server.maxConcurrent} at once`);
    assert.equal(server.maxConcurrent, 2);
    assert.equal(remote.concurrency.limit, 2);
  });

  test('an unknown model is refused at connect time, listing what the server serves; an empty model takes the only one', async () => {
    await assert.rejects(
      createRemoteEngine({ endpoint: server.url, model: 'simplescaling/s1.1-32B' }),
      (e: unknown) =>
        e instanceof RemoteEngineError &&
        e.kind === 'unknown-model' &&
        e.message === `The remote engine at ${server.url} does not serve the model "simplescaling/s1.1-32B"; it serves "thinkscope-tiny" (set thinkscope.remote.model)`,
    );
    const engine = await createRemoteEngine({ endpoint: server.url, model: '' });
    assert.equal(engine.model, 'thinkscope-tiny');
  });

  test('budgets that no run can honour are refused before anything is sent', async () => {
    const before = server.requests.length;
    await assert.rejects(remote.generate(request('Q', { minThinkingTokens: 10, maxThinkingTokens: 5 })), /maxThinkingTokens \(5\) is below/);
    await assert.rejects(remote.generate(request('Q', { maxThinkingTokens: -1 })), /must be a whole number ≥ 0/);
    assert.equal(server.requests.length, before);
  });
});
