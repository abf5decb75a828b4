/**
 * The test server speaks the completions wire format as vLLM documents it — checked here with
 * plain fetch, so that the remote engine's tests rest on a faithful server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiServer, type OpenAiTestServer } from './openaiServer';
import { tinyModelFiles, type TinyModelFiles } from './remoteHarness';

let files: TinyModelFiles;
let server: OpenAiTestServer;
let root: string;

before(async () => {
  files = await tinyModelFiles();
  server = await startOpenAiServer({ modelPath: files.modelPath });
  root = server.url.replace(/\/v1$/, '');
});
after(async () => {
  await server?.close();
  await files?.remove();
});

/** The parts of vLLM's completion chunk these tests read. */
interface Chunk {
  object: string;
  choices: Array<{
    text: string;
    finish_reason: string | null;
    stop_reason?: string | number | null;
    logprobs: { tokens: string[]; token_logprobs: number[]; top_logprobs: Array<Record<string, number>>; text_offset: number[] } | null;
    token_ids?: number[];
    prompt_token_ids?: number[];
  }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}
interface ErrorBody {
  message?: string;
  error?: { message: string };
}

const PROMPT = '<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n<|im_start|>assistant\n<think>\n';

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${root}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The data of each server-sent event of a streamed completion. */
async function stream(body: Record<string, unknown>): Promise<string[]> {
  const res = await post('/v1/completions', { model: server.modelName, prompt: PROMPT, temperature: 0, stream: true, ...body });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /text\/event-stream/);
  const text = await res.text();
  assert.ok(text.endsWith('\n\n'));
  return text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
}

describe('the OpenAI-compatible test server', () => {
  test('lists its model as vLLM does', async () => {
    const models = (await (await fetch(`${server.url}/models`)).json()) as unknown;
    assert.deepEqual(models, {
      object: 'list',
      data: [{ id: 'thinkscope-tiny', object: 'model', created: 0, owned_by: 'vllm', root: 'thinkscope-tiny', max_model_len: 2048 }],
    });
  });

  test('tokenizes and detokenizes at the root', async () => {
    const t = (await (await post('/tokenize', { model: server.modelName, prompt: 'Wait</think>' })).json()) as { count: number; tokens: number[]; max_model_len: number };
    assert.equal(t.count, t.tokens.length);
    assert.equal(t.max_model_len, 2048);
    const d = (await (await post('/detokenize', { model: server.modelName, tokens: t.tokens })).json()) as { prompt: string };
    assert.equal(d.prompt, 'Wait</think>');
  });

  test('streams one chunk per token with the completions logprobs layout, then usage and [DONE]', async () => {
    const events = await stream({ max_tokens: 6, logprobs: 3, stream_options: { include_usage: true } });
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    const usage = chunks.pop()!;
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage!.completion_tokens, 6);
    assert.equal(chunks.length, 6);
    let offset = 0;
    for (const [i, c] of chunks.entries()) {
      const choice = c.choices[0]!;
      const lp = choice.logprobs!;
      assert.equal(c.object, 'text_completion');
      assert.equal(lp.tokens.length, 1);
      assert.deepEqual(lp.text_offset, [offset]);
      offset += lp.tokens[0]!.length;
      assert.equal(choice.text, lp.tokens[0]);
      const top = lp.top_logprobs[0]!;
      assert.ok(Object.keys(top).length >= 3 && Object.keys(top).length <= 4);
      assert.equal(top[lp.tokens[0]!], lp.token_logprobs[0], 'the chosen token is in the dict');
      assert.equal(choice.finish_reason, i === 5 ? 'length' : null);
      assert.equal(choice.stop_reason, null);
    }
  });

  test('a stop string ends the completion and is left out of the text, held back while it might match', async () => {
    const events = await stream({ max_tokens: 400, stop: ['</think>'], logprobs: 0, return_token_ids: true });
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Chunk);
    const last = chunks.at(-1)!.choices[0]!;
    assert.equal(last.finish_reason, 'stop');
    assert.equal(last.stop_reason, '</think>');
    assert.deepEqual(last.logprobs!.tokens.slice(-1), ['</think>'], 'the stop token is reported');
    const text = chunks.map((c) => c.choices[0]!.text).join('');
    assert.ok(!text.includes('</think>') && text.endsWith('.\n'));
    // vLLM holds back len(stop) - 1 characters: the first chunk's token text comes out later.
    assert.equal(chunks[0]!.choices[0]!.text, '');
    assert.ok(chunks[0]!.choices[0]!.prompt_token_ids!.length > 0);
    const all = await stream({ max_tokens: 400, stop: ['</think>'], include_stop_str_in_output: true });
    const joined = all.slice(0, -1).map((e) => (JSON.parse(e) as Chunk).choices[0]!.text).join('');
    assert.equal(joined, `${text}</think>`);
  });

  test('token ids in, token_id:N out', async () => {
    const t = (await (await post('/tokenize', { prompt: PROMPT })).json()) as { tokens: number[] };
    const events = await stream({ prompt: t.tokens, max_tokens: 2, logprobs: 1, return_tokens_as_token_ids: true, return_token_ids: true });
    const first = (JSON.parse(events[0]!) as Chunk).choices[0]!;
    assert.match(first.logprobs!.tokens[0]!, /^token_id:\d+$/);
    assert.equal(first.logprobs!.tokens[0], `token_id:${first.token_ids![0]}`);
    assert.ok(Object.keys(first.logprobs!.top_logprobs[0]!).every((k) => /^token_id:\d+$/.test(k)));
  });

  test('refuses an unknown model (404) and a request past the context window (400) as vLLM does', async () => {
    const a = await post('/v1/completions', { model: 'other', prompt: 'x' });
    assert.equal(a.status, 404);
    assert.equal(((await a.json()) as ErrorBody).error!.message, 'The model `other` does not exist.');
    const b = await post('/v1/completions', { model: server.modelName, prompt: 'x', max_tokens: 5000 });
    assert.equal(b.status, 400);
    assert.match(((await b.json()) as ErrorBody).message!, /maximum context length is 2048 tokens/);
  });

  test('greedy completions are deterministic; a non-streamed answer carries the same text', async () => {
    const streamed = (await stream({ max_tokens: 20 })).slice(0, -1).map((e) => (JSON.parse(e) as Chunk).choices[0]!.text).join('');
    const res = await post('/v1/completions', { model: server.modelName, prompt: PROMPT, temperature: 0, max_tokens: 20 });
    const whole = (await res.json()) as Chunk;
    assert.equal(whole.choices[0]!.text, streamed);
    assert.equal(whole.choices[0]!.finish_reason, 'length');
    const prompt = whole.usage!.prompt_tokens;
    assert.deepEqual(whole.usage, { prompt_tokens: prompt, completion_tokens: 20, total_tokens: prompt + 20 });
  });
});
