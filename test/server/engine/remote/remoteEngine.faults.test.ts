/**
 * The remote engine when the server misbehaves: rate limits and server errors are retried,
 * a stream that breaks is resumed from the tokens received (greedy: the trace is as if nothing
 * happened), a server that goes away or stays silent leaves a valid partial trace, a malformed
 * chunk is named, and servers that ignore logprobs, have no tokenizer or give no stop reason still
 * yield valid traces that say how they were obtained.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RemoteTraceInfo } from '../../../../protocol/remote';
import type { TraceDocument } from '../../../../protocol/trace';
import type { LocalEngine } from '../../../../server/engine/local/localEngine';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';
import { createRemoteEngine, type RemoteEngine } from '../../../../server/engine/remote/remoteEngine';
import { startOpenAiServer, type Faults, type OpenAiTestServer } from '../../../support/openaiServer';
import { assertSameTrace, assertValidTrace, loadLocal, request, tinyModelFiles, type TinyModelFiles } from '../../../support/remoteHarness';

let files: TinyModelFiles;
let local: LocalEngine;
let server: OpenAiTestServer;
let logs: string[];

/** A suppressed end, a forced end and an answer: several requests, each kind of decision. */
const REQUEST = request('What is 2 + 3?', { ignoreEnd: 1, maxThinkingTokens: 140, maxAnswerTokens: 12 });
let baseline: TraceDocument;

before(async () => {
  files = await tinyModelFiles();
  local = await loadLocal(files);
  server = await startOpenAiServer({ modelPath: files.modelPath });
  baseline = await local.generate(REQUEST);
  assert.deepEqual(baseline.events.map((e) => e.kind), ['suppressed-end', 'forced-end']);
});
after(async () => {
  await server?.close();
  await local?.dispose();
  await files?.remove();
});
beforeEach(() => {
  server.setFaults({});
  logs = [];
});

function engine(settings: { timeoutMs?: number; maxRetries?: number } = {}, target = server): Promise<RemoteEngine> {
  return createRemoteEngine(
    { endpoint: target.url, model: target.modelName, chatTemplate: local.chatTemplate, ...settings },
    {},
    { backoff: { baseMs: 5, maxMs: 2000 }, log: (m) => logs.push(m) },
  );
}

const info = (trace: TraceDocument) => (trace as TraceDocument & { remote: RemoteTraceInfo }).remote;

async function withFaults(faults: Faults, settings: { timeoutMs?: number; maxRetries?: number } = {}): Promise<TraceDocument> {
  const remote = await engine(settings);
  server.setFaults(faults);
  return remote.generate(REQUEST);
}

/** The trace's tokens are the first tokens of the baseline. */
function assertPrefixOfBaseline(trace: TraceDocument): void {
  assert.ok(trace.tokens.length > 0 && trace.tokens.length < baseline.tokens.length, `${trace.tokens.length} tokens`);
  assert.deepEqual(trace.tokens.map((t) => t.text), baseline.tokens.slice(0, trace.tokens.length).map((t) => t.text));
}

describe('retried faults leave no mark on the trace', () => {
  test('429 then success: retried after Retry-After', async () => {
    const t0 = performance.now();
    const trace = await withFaults({ rateLimit: { times: 2, retryAfter: 0.2 } });
    assertSameTrace(trace, baseline);
    assert.ok(performance.now() - t0 >= 400, 'two Retry-After waits of 200 ms');
    assert.equal(info(trace).retries, 2);
    assert.equal(logs.filter((l) => /HTTP 429/.test(l)).length, 2);
  });

  test('503 then success', async () => {
    const trace = await withFaults({ serverError: { times: 2, status: 503 } });
    assertSameTrace(trace, baseline);
    assert.equal(info(trace).retries, 2);
  });

  test('a stream killed mid-way is resumed from the tokens received', async () => {
    const trace = await withFaults({ killStream: { chunks: 25, times: 2 } });
    assertSameTrace(trace, baseline);
    assert.equal(info(trace).retries, 2);
    assert.ok(logs.some((l) => /broke in the middle of the answer.*resuming from token \d+ in/.test(l)), logs.join('\n'));
  });
});

describe('faults that end the run', () => {
  test('a stream that keeps breaking: a valid partial trace, interrupted, with the reason', async () => {
    const trace = await withFaults({ killStream: { chunks: 10, times: 100 } }, { maxRetries: 2 });
    assert.equal(trace.stopReason, 'interrupted');
    const last = trace.events.at(-1)!;
    assert.equal(last.kind, 'interrupted');
    assert.equal(last.at, trace.tokens.length);
    assert.match(last.detail!, /The connection to the ThinkScope remote engine at http:\/\/127\.0\.0\.1:\d+\/v1 broke in the middle of the answer/);
    assertPrefixOfBaseline(trace);
    assertValidTrace(trace);
  });

  test('the server killed mid-run: a valid partial trace, interrupted', async () => {
    const doomed = await startOpenAiServer({ modelPath: files.modelPath });
    const remote = await engine({ maxRetries: 1 }, doomed);
    let killed = false;
    const trace = await remote.generate(REQUEST, {
      onStep: (b) => {
        if (b.tokens.length === 40 && !killed) {
          killed = true;
          void doomed.kill();
        }
      },
    });
    await doomed.close();
    assert.equal(trace.stopReason, 'interrupted');
    assert.match(trace.events.at(-1)!.detail!, /Cannot reach the ThinkScope remote engine at .*: connection refused|broke/);
    assertPrefixOfBaseline(trace);
    assertValidTrace(trace);
  });

  test('a server slower than the timeout before the first token: a timeout error, nothing generated', async () => {
    const remote = await engine({ timeoutMs: 300 });
    server.setFaults({ delay: { ms: 1500 } });
    await assert.rejects(
      remote.generate(REQUEST),
      (e: unknown) => e instanceof RemoteEngineError && e.kind === 'timeout' && /sent nothing for 300 ms after the request to .*\/v1\/completions/.test(e.message),
    );
  });

  test('a stream that stalls past the timeout: a valid partial trace, interrupted', async () => {
    const trace = await withFaults({ stall: { chunks: 30, ms: 1500 } }, { timeoutMs: 300 });
    assert.equal(trace.stopReason, 'interrupted');
    assert.match(trace.events.at(-1)!.detail!, /sent nothing for 300 ms in the middle of its answer/);
    assert.equal(trace.tokens.length, 30);
    assertPrefixOfBaseline(trace);
    assertValidTrace(trace);
  });

  test('a malformed chunk mid-stream: a partial trace ended by an error that names the chunk', async () => {
    const trace = await withFaults({ malformedChunk: { chunk: 20 } });
    assert.equal(trace.stopReason, 'error');
    assert.match(trace.events.at(-1)!.detail!, /sent a malformed chunk #20 of the stream from http:\/\/127\.0\.0\.1:\d+\/v1\/completions: not JSON: \{"id": "cmpl-\d+", "choices"/);
    assert.equal(trace.tokens.length, 19);
    assertValidTrace(trace);
  });

  test('a malformed first chunk: an error naming it, nothing generated', async () => {
    await assert.rejects(
      withFaults({ malformedChunk: { chunk: 1 } }),
      (e: unknown) => e instanceof RemoteEngineError && e.kind === 'malformed' && /malformed chunk #1 of the stream/.test(e.message),
    );
  });

  test('nothing listening: connection refused, named', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise((r) => closed.close(r));
    await assert.rejects(
      createRemoteEngine({ endpoint: url, model: 'x' }),
      (e: unknown) => e instanceof RemoteEngineError && e.message === `Cannot reach the ThinkScope remote engine at ${url}: connection refused`,
    );
  });
});

describe('servers with less to say', () => {
  test('one that ignores logprobs: same text, logprobs null, and the trace says so', async () => {
    const trace = await withFaults({ ignoreLogprobs: true });
    assertValidTrace(trace);
    assert.deepEqual(trace.tokens.map((t) => t.text), baseline.tokens.map((t) => t.text));
    assert.deepEqual(trace.events.map((e) => [e.kind, e.at]), baseline.events.map((e) => [e.kind, e.at]));
    assert.ok(trace.tokens.every((t) => t.logprob === null && t.top.length === 0 && t.entropy === null));
    assert.ok(trace.tokens.filter((t) => t.source === 'model').every((t) => t.id === -1));
    // What the model wanted at the suppressed end: the delimiter, its id from the server's tokenizer, no logprob.
    assert.deepEqual(trace.events[0]!.wanted, { id: baseline.events[0]!.wanted!.id, text: '</think>', logprob: null });
    assert.deepEqual(
      { ...info(trace), requests: 0 },
      {
        server: 'vllm',
        logprobs: 'absent',
        tokenIds: 'unknown',
        tokenCounting: 'usage',
        insertedTokens: 'tokenizer',
        continuation: 'text',
        entropy: 'none',
        requests: 0,
        retries: 0,
      },
    );
    assert.equal(trace.tokenCounts, 'exact');
  });

  test('one without usage per chunk, logprobs or stop reasons, counted by its tokenizer', async () => {
    const remote = await createRemoteEngine({ endpoint: server.url, model: server.modelName, chatTemplate: local.chatTemplate, tokenCounting: 'tokenizer' });
    server.setFaults({ ignoreLogprobs: true, noContinuousUsage: true, omitStopReason: true });
    const trace = await remote.generate(REQUEST);
    assertValidTrace(trace);
    assert.equal(info(trace).tokenCounting, 'tokenizer');
    assert.deepEqual(trace.tokens.map((t) => t.text), baseline.tokens.map((t) => t.text));
  });

  test('one without a tokenizer endpoint: text continuation, inserted text counted by estimate, still a valid trace ending with an answer', async () => {
    server.setFaults({ noTokenizer: true });
    const remote = await engine();
    assert.equal(remote.hasTokenizer, false);
    const trace = await remote.generate(REQUEST);
    assertValidTrace(trace);
    assert.equal(info(trace).continuation, 'text');
    assert.equal(info(trace).insertedTokens, 'estimated');
    assert.equal(trace.tokenCounts, 'estimated');
    assert.deepEqual(trace.events.map((e) => e.kind), ['suppressed-end', 'forced-end']);
    assert.equal(trace.events[0]!.at, baseline.events[0]!.at, 'the model sampled </think> at the same place');
    assert.ok(trace.answer.length > 0);
  });

  test('one that sends no stop_reason: the stop is told from the text', async () => {
    const trace = await withFaults({ omitStopReason: true });
    assertSameTrace(trace, baseline);
  });

  test('no logprobs, ids, usage per chunk or tokenizer: chunks counted one each, a valid trace', async () => {
    server.setFaults({ ignoreLogprobs: true, noContinuousUsage: true, noTokenizer: true });
    const remote = await createRemoteEngine({ endpoint: server.url, model: server.modelName, chatTemplate: local.chatTemplate, tokenCounting: 'usage' });
    const trace = await remote.generate(REQUEST);
    assertValidTrace(trace);
    assert.equal(info(trace).tokenCounting, 'chunks');
    assert.deepEqual(trace.events.map((e) => [e.kind, e.at]), baseline.events.map((e) => [e.kind, e.at]));
    const suppressed = trace.events[0]!;
    assert.equal(suppressed.wanted, undefined, 'no id to record');
    assert.equal(suppressed.detail, 'the model sampled "</think>" (token id unknown)');
    assert.equal(trace.thinkingTokens, 140);
  });
});
