/**
 * The server process over stdio: initialize, generate on the tiny model with streamed progress,
 * cancellation, and bad input that leaves the server running.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Methods, type RunProgress, type RunStarted } from '../../../protocol/rpc';
import { writeTinyModel } from '../../../server/tinymodel';
import { CancellationTokenSource, startServer, type ServerSession } from '../../support/serverProcess';

const dir = mkdtempSync(join(tmpdir(), 'thinkscope-protocol-'));
const modelPath = join(dir, 'tiny.gguf');

describe('server over stdio', () => {
  let server: ServerSession;
  const progress: RunProgress[] = [];
  const started: RunStarted[] = [];

  before(async () => {
    await writeTinyModel(modelPath, { seed: 0 });
    server = await startServer({
      cacheDir: join(dir, 'cache'),
      engine: { modelPath, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
    });
    server.onNotification(Methods.runProgress, (p) => progress.push(p));
    server.onNotification(Methods.runStarted, (p) => started.push(p));
  });
  after(async () => server?.close());

  test('generates a budget-forced trace, streaming it and writing it', async () => {
    const outPath = join(dir, 'out', 'a.trace.json');
    const result = await server.request(Methods.generate, {
      runId: 'r1',
      question: 'What is 2 + 3?',
      budget: { maxThinkingTokens: 40, maxAnswerTokens: 30 },
      outPath,
    });
    const trace = result.trace;
    assert.equal(result.path, outPath);
    assert.equal(trace.format, 'thinkscope.trace');
    assert.ok(trace.thinkingTokens <= 41, `thinking ${trace.thinkingTokens} within the budget`);
    assert.ok(trace.answerTokens > 0, 'an answer exists');
    assert.ok(['eos', 'answer-cap'].includes(trace.stopReason));
    assert.equal(started.filter((s) => s.runId === 'r1').length, 1);
    const mine = progress.filter((p) => p.runId === 'r1');
    assert.ok(mine.length > 0, 'progress notifications arrived');
    // Streamed batches are contiguous and agree with the final trace.
    let next = 0;
    for (const p of mine) {
      assert.equal(p.offset, next);
      next += p.tokens.length;
      p.tokens.forEach((t, i) => assert.deepEqual(t, trace.tokens[p.offset + i]));
    }
    const status = await server.request(Methods.status, {});
    assert.equal(status.model, 'ready');
    assert.equal(status.backend, 'cpu');
    assert.equal(status.threads, 1);
  });

  test('cancellation stops generation and returns a partial trace marked cancelled', async () => {
    const cancel = new CancellationTokenSource();
    let sawProgress = false;
    server.onNotification(Methods.runProgress, (p) => {
      if (p.runId === 'r2' && !sawProgress) {
        sawProgress = true;
        cancel.cancel();
      }
    });
    const result = await server.request(
      Methods.generate,
      { runId: 'r2', question: 'Think for a long time.', budget: { minThinkingTokens: 1500, maxAnswerTokens: 400 } },
      cancel,
    );
    assert.equal(result.trace.stopReason, 'cancelled');
    assert.equal(result.trace.events.at(-1)?.kind, 'cancelled');
    assert.ok(result.trace.tokens.length < 1500 + 400);
  });

  test('bad requests get clear errors and the server keeps running', async () => {
    await assert.rejects(server.request(Methods.generate, { runId: 'x', question: '   ' }), /question is empty/);
    await assert.rejects(
      server.request(Methods.generate, { runId: 'x', question: 'q', budget: { maxThinkingTokens: -1 } }),
      /maxThinkingTokens must be a whole number ≥ 0 or null, got -1/,
    );
    const status = await server.request(Methods.status, {});
    assert.equal(status.model, 'ready');
  });

  test('a file that is not a model is refused without taking the server down', async () => {
    const notModel = join(dir, 'notes.gguf');
    writeFileSync(notModel, 'PK\u0003\u0004 this is a zip file, not a model');
    server.connection.sendNotification(Methods.configure.method, {
      engine: { modelPath: notModel, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
    });
    await assert.rejects(server.request(Methods.generate, { runId: 'y', question: 'q' }), (e: Error) =>
      e.message.includes(notModel) && /not a GGUF/i.test(e.message),
    );
    const status = await server.request(Methods.status, {});
    assert.equal(status.model, 'error');
    assert.match(status.error ?? '', /not a GGUF/i);
    // Back to a good model: it works again.
    server.connection.sendNotification(Methods.configure.method, {
      engine: { modelPath, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
    });
    const ok = await server.request(Methods.generate, { runId: 'z', question: 'q', budget: { maxThinkingTokens: 5 } });
    assert.ok(ok.trace.tokens.length > 0);
  });
});
