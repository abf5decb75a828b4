/**
 * The HTTP client against a real HTTP server on 127.0.0.1 whose answers each test scripts:
 * status codes become clear errors, 429 / 5xx / dropped connections are retried with backoff
 * (Retry-After honoured), silence past the timeout is an error, and no message carries the key.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseEndpoint } from '../../../../server/engine/remote/endpoint';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';
import { RemoteHttpClient, type HttpClientOptions } from '../../../../server/engine/remote/http';

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

let server: Server;
let base: string;
let handler: Handler;
let attempts: number;
let seen: IncomingMessage[];

before(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res, attempts++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  attempts = 0;
  seen = [];
});

const KEY = 'sk-secret-0123456789';

function client(options: Partial<HttpClientOptions> & { url?: string } = {}): { http: RemoteHttpClient; logs: string[] } {
  const logs: string[] = [];
  const http = new RemoteHttpClient({
    endpoint: parseEndpoint(options.url ?? base),
    apiKey: KEY,
    timeoutMs: 2000,
    maxRetries: 3,
    backoff: { baseMs: 10, maxMs: 2000 },
    log: (m) => logs.push(m),
    ...options,
  });
  return { http, logs };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<RemoteEngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RemoteEngineError, `expected a RemoteEngineError, got ${String(error)}`);
    assert.ok(!error.message.includes(KEY), `the key leaked: ${error.message}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('RemoteHttpClient', () => {
  test('sends the key as a bearer token and reads JSON', async () => {
    handler = (req, res) => json(res, 200, { path: req.url, auth: req.headers.authorization });
    const { http } = client();
    assert.deepEqual(await http.getJson('/models'), { path: '/v1/models', auth: `Bearer ${KEY}` });
    assert.deepEqual(await http.postJson('/tokenize', { prompt: 'x' }, { atRoot: true }), { path: '/tokenize', auth: `Bearer ${KEY}` });
  });

  test('credentials in the endpoint URL become Basic auth and never appear in the endpoint', async () => {
    handler = (req, res) => json(res, 200, { auth: req.headers.authorization });
    const { http } = client({ url: base.replace('http://', 'http://alice:pw-9876543@'), apiKey: undefined });
    assert.equal(http.endpoint, base);
    assert.deepEqual(await http.getJson('/models'), { auth: `Basic ${Buffer.from('alice:pw-9876543').toString('base64')}` });
  });

  test('a refused connection says so and names the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise((r) => closed.close(r));
    const e = await failure(client({ url }).http.getJson('/models'));
    assert.equal(e.kind, 'unreachable');
    assert.equal(e.message, `Cannot reach the ThinkScope remote engine at ${url}: connection refused`);
  });

  test('401 is an auth error that does not repeat the key the server echoed', async () => {
    handler = (req, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } });
    const { http, logs } = client();
    const e = await failure(http.getJson('/models'));
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /refused the request \(HTTP 401\): the API key is wrong or lacks access/);
    assert.equal(attempts, 1, '401 is not retried');
    assert.ok(logs.every((l) => !l.includes(KEY)));
  });

  test('403 without a key says a key is needed', async () => {
    handler = (_req, res) => json(res, 403, { error: 'Forbidden' });
    const e = await failure(client({ apiKey: undefined }).http.getJson('/models'));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /needs an API key and none is set/);
  });

  test('404 about a model is unknown-model; 404 on a path is not-found with a hint', async () => {
    handler = (_req, res) => json(res, 404, { error: { message: 'The model `big` does not exist.' } });
    const a = await failure(client().http.postJson('/completions', {}));
    assert.equal(a.kind, 'unknown-model');
    assert.match(a.message, /does not serve the requested model: The model `big` does not exist./);
    handler = (_req, res) => json(res, 404, { detail: 'Not Found' });
    const b = await failure(client().http.postJson('/completions', {}));
    assert.equal(b.kind, 'not-found');
    assert.match(b.message, /has no http:\/\/127.0.0.1:\d+\/v1\/completions \(HTTP 404\).*check that the endpoint ends with \/v1/);
  });

  test('other 4xx carry the server\'s reason and are not retried', async () => {
    handler = (_req, res) => json(res, 400, { object: 'error', message: "This model's maximum context length is 2048 tokens." });
    const e = await failure(client().http.postJson('/completions', {}));
    assert.equal(e.kind, 'bad-request');
    assert.match(e.message, /HTTP 400\): This model's maximum context length is 2048 tokens./);
    assert.equal(attempts, 1);
  });

  test('429 is retried after the Retry-After the server asks for, then succeeds', async () => {
    handler = (_req, res, n) => (n === 0 ? json(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '0.3' }) : json(res, 200, { ok: true }));
    const { http, logs } = client();
    const t0 = performance.now();
    assert.deepEqual(await http.getJson('/models'), { ok: true });
    assert.ok(performance.now() - t0 >= 290, 'waited for Retry-After');
    assert.equal(attempts, 2);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /rate-limiting requests \(HTTP 429\): slow down; retry 1 of 3 in \d+ ms/);
  });

  test('5xx is retried with backoff until it works, or gives up after maxRetries', async () => {
    handler = (_req, res, n) => (n < 2 ? json(res, 503, { error: { message: 'overloaded' } }) : json(res, 200, { ok: 1 }));
    assert.deepEqual(await client().http.getJson('/models'), { ok: 1 });
    assert.equal(attempts, 3);
    attempts = 0;
    handler = (_req, res) => json(res, 500, { error: { message: 'boom' } });
    const e = await failure(client({ maxRetries: 2 }).http.getJson('/models'));
    assert.equal(e.kind, 'server');
    assert.match(e.message, /failed \(HTTP 500\): boom/);
    assert.equal(attempts, 3);
  });

  test('a connection reset before the answer is retried', async () => {
    handler = (req, res, n) => (n === 0 ? req.socket.destroy() : json(res, 200, { ok: 2 }));
    assert.deepEqual(await client().http.getJson('/models'), { ok: 2 });
    assert.equal(attempts, 2);
  });

  test('no answer within the timeout is a timeout error, not retried', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 1500);
    const t0 = performance.now();
    const e = await failure(client({ timeoutMs: 200 }).http.getJson('/models'));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /sent nothing for 200 ms after the request to .*\/v1\/models \(timeout: thinkscope.remote.timeoutMs\)/);
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(attempts, 1);
  });

  test('a body that stops arriving times out; the timeout counts from the last piece received', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        if (n++ < 8) res.write('data: {}\n\n');
        else clearInterval(timer);
      }, 100);
      res.on('close', () => clearInterval(timer));
    };
    const stream = await client({ timeoutMs: 400 }).http.open('POST', '/completions', {});
    let pieces = 0;
    const e = await failure(
      (async () => {
        for await (const _ of stream.body) pieces++;
      })(),
    );
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /in the middle of its answer/);
    assert.equal(pieces, 8, 'pieces 100 ms apart kept the stream alive past 400 ms');
  });

  test('the caller\'s signal cancels a request and a backoff wait', async () => {
    handler = (_req, res) => json(res, 503, {});
    const controller = new AbortController();
    const pending = client({ backoff: { baseMs: 5000, maxMs: 5000 } }).http.getJson('/models', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const e = await failure(pending);
    assert.equal(e.kind, 'cancelled');
  });
});
