/**
 * The API key goes to the server as a bearer token and nowhere else: not into traces, error
 * messages or log lines — even when the server echoes a wrong key back, and even for credentials
 * written into the endpoint URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalEngine } from '../../../../server/engine/local/localEngine';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';
import { createRemoteEngine } from '../../../../server/engine/remote/remoteEngine';
import { startOpenAiServer, type OpenAiTestServer } from '../../../support/openaiServer';
import { assertValidTrace, loadLocal, request, tinyModelFiles, type TinyModelFiles } from '../../../support/remoteHarness';

const KEY = 'sk-thinkscope-test-5f2c9a71e0';
const WRONG = 'sk-wrong-key-0000000042';

let files: TinyModelFiles;
let local: LocalEngine;
let server: OpenAiTestServer;

before(async () => {
  files = await tinyModelFiles();
  local = await loadLocal(files);
  server = await startOpenAiServer({ modelPath: files.modelPath, apiKey: KEY });
});
after(async () => {
  await server?.close();
  await local?.dispose();
  await files?.remove();
});

function assertNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 300)}`);
}

describe('the API key', () => {
  test('with the right key: generation works, the trace and the logs hold no trace of it', async () => {
    const logs: string[] = [];
    const remote = await createRemoteEngine(
      { endpoint: server.url, model: server.modelName, chatTemplate: local.chatTemplate, maxRetries: 3 },
      { apiKey: KEY },
      { log: (m) => logs.push(m), backoff: { baseMs: 5, maxMs: 100 } },
    );
    server.setFaults({ rateLimit: { times: 1 }, killStream: { chunks: 5 } });
    const trace = await remote.generate(request('What is 2 + 3?', { ignoreEnd: 1, maxThinkingTokens: 130 }));
    server.setFaults({});
    assertValidTrace(trace);
    assert.ok(trace.tokens.length > 100);
    assert.ok(logs.length >= 2, 'the retry and the resume were logged');
    assertNoSecret(JSON.stringify(trace), KEY);
    assertNoSecret(logs.join('\n'), KEY);
    assertNoSecret(JSON.stringify(await remote.modelInfo()), KEY);
    assertNoSecret(JSON.stringify(remote.settings), KEY);
    assert.equal(trace.model.endpoint, server.url);
  });

  test('a wrong key: an auth error that repeats neither key, though the server echoed it', async () => {
    const error = await createRemoteEngine({ endpoint: server.url, model: server.modelName }, { apiKey: WRONG }).then(
      () => assert.fail('connected with a wrong key'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RemoteEngineError);
    assert.equal(error.kind, 'auth');
    assert.equal(error.message, `The remote engine at ${server.url} refused the request (HTTP 401): the API key is wrong or lacks access`);
    assertNoSecret(`${error.message}\n${error.stack ?? ''}`, WRONG, KEY);
  });

  test('no key: an auth error saying one is needed', async () => {
    await assert.rejects(
      createRemoteEngine({ endpoint: server.url, model: server.modelName }),
      (e: unknown) => e instanceof RemoteEngineError && e.kind === 'auth' && /needs an API key and none is set/.test(e.message),
    );
  });

  test('a server gone before the first token: an error, and no key in it', async () => {
    const rotating = await startOpenAiServer({ modelPath: files.modelPath, apiKey: KEY });
    const remote = await createRemoteEngine({ endpoint: rotating.url, model: rotating.modelName, chatTemplate: local.chatTemplate }, { apiKey: KEY });
    await rotating.kill();
    const trace = await remote.generate(request('What is 2 + 3?')).catch((e: unknown) => e);
    await rotating.close();
    assert.ok(trace instanceof RemoteEngineError, 'nothing generated: an error');
    assertNoSecret(trace.message, KEY);
  });

  test('credentials in the endpoint URL are used, and recorded nowhere', async () => {
    const open = await startOpenAiServer({ modelPath: files.modelPath });
    const withUser = open.url.replace('http://', 'http://researcher:pa55-w0rd-9911@');
    const remote = await createRemoteEngine({ endpoint: withUser, model: open.modelName, chatTemplate: local.chatTemplate });
    const trace = await remote.generate(request('Is 7 prime?', { maxThinkingTokens: 5 }));
    await open.close();
    assert.equal(trace.model.endpoint, open.url);
    assert.equal(remote.describe().modelPath, null);
    assertNoSecret(JSON.stringify(trace), 'pa55-w0rd-9911', 'researcher');
  });
});
