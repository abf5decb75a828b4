/**
 * A real OpenAI-compatible completions server on 127.0.0.1 (a random port), speaking the wire
 * format as vLLM documents it, backed by a GGUF model in node-llama-cpp (the project's tiny model):
 *
 * - `GET /v1/models`: `{object: "list", data: [{id, object: "model", owned_by: "vllm", max_model_len}]}`;
 * - `POST /v1/completions`: a raw prompt (text or token ids), `max_tokens` (default 16),
 *   `temperature`, `top_p`, `top_k`, `min_p`, `seed`, `stop`, `logprobs` (the completions layout:
 *   `tokens`, `token_logprobs`, `top_logprobs` dicts that include the chosen token, `text_offset`),
 *   `stream` with `stream_options.include_usage` / `continuous_usage_stats`, and vLLM's
 *   `return_token_ids`, `return_tokens_as_token_ids`, `include_stop_str_in_output`,
 *   `skip_special_tokens`; streamed as `data: {...}` server-sent events closed by `data: [DONE]`;
 *   `finish_reason` "stop" / "length" with vLLM's `stop_reason` (the stop string, or null);
 * - `POST /tokenize` and `POST /detokenize` at the root (vLLM's: `{prompt}` → `{count, tokens,
 *   max_model_len}`, `{tokens}` → `{prompt}`);
 * - an optional API key (`Authorization: Bearer …`; a wrong key is echoed in the 401 message, as
 *   some proxies do, so that tests can check a client never repeats it);
 * - fault injection (`faults`): 429 with Retry-After, 5xx, a delay before answering, a stream that
 *   stalls or whose connection is destroyed after some chunks, a malformed chunk, a server that
 *   ignores `logprobs` or has no tokenizer or sends no `stop_reason`, and `kill()` to stop the whole
 *   server (connections refused afterwards).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SamplingSettings } from '../../protocol/trace';
import { TinyCompletionModel, type CompletionStep } from './tinyCompletions';

/** A fault that fires `times` times (default once), counted from when the faults were set. */
interface Repeat {
  times?: number;
}

export interface Faults {
  /** Completions answered 429 (with `Retry-After: retryAfter` seconds when given). */
  rateLimit?: Repeat & { retryAfter?: number };
  /** Completions answered with this 5xx status. */
  serverError?: Repeat & { status?: number };
  /** Completions answered only after this delay. */
  delay?: Repeat & { ms: number };
  /** Streams that stop sending for `ms` after `chunks` chunks. */
  stall?: Repeat & { chunks: number; ms: number };
  /** Streams whose connection is destroyed after `chunks` chunks. */
  killStream?: Repeat & { chunks: number };
  /** Streams whose chunk number `chunk` (1-based) is not valid JSON. */
  malformedChunk?: Repeat & { chunk: number };
  /** Leave out logprobs and token ids, as a server that ignores them. */
  ignoreLogprobs?: boolean;
  /** No `/tokenize` or `/detokenize` (404). */
  noTokenizer?: boolean;
  /**
   * Stops as llama.cpp's server reports them: no `stop_reason`, `include_stop_str_in_output`
   * ignored (the stop string and end-of-sequence text are left out of the text), and each token's
   * text released with the token.
   */
  omitStopReason?: boolean;
  /** Usage only in the last chunk, not in every one. */
  noContinuousUsage?: boolean;
}

export interface OpenAiServerOptions {
  modelPath: string;
  /** The model id the server serves. */
  modelName?: string;
  apiKey?: string;
  contextSize?: number;
  faults?: Faults;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface OpenAiTestServer {
  /** The API base, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  readonly modelName: string;
  readonly model: TinyCompletionModel;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The most completions in progress at once (queued ones included). */
  readonly maxConcurrent: number;
  /** Replaces the faults and restarts their counters. */
  setFaults(faults: Faults): void;
  /** Stops listening and destroys every connection (later requests are refused). */
  kill(): Promise<void>;
  /** kill(), and the model is released. */
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Starts the server; resolves once it listens. */
export async function startOpenAiServer(options: OpenAiServerOptions): Promise<OpenAiTestServer> {
  const model = await TinyCompletionModel.load(options.modelPath, options.contextSize ?? 2048);
  const modelName = options.modelName ?? 'thinkscope-tiny';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let faults: Faults = options.faults ?? {};
  let fired = new Map<string, number>();
  let active = 0;
  let maxConcurrent = 0;
  let completionIndex = 0;

  /** Whether fault `name` fires now (and counts it). */
  const fire = (name: keyof Faults): boolean => {
    const fault = faults[name];
    if (!fault || typeof fault !== 'object') return false;
    const count = fired.get(name) ?? 0;
    if (count >= (fault.times ?? 1)) return false;
    fired.set(name, count + 1);
    return true;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String((error as Error).message), type: 'InternalServerError', code: 500 } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, { object: 'error', message: 'The request body is not JSON', type: 'BadRequestError', code: 400 });
      }
    }
    requests.push({ method: req.method ?? 'GET', path, body });
    if (options.apiKey !== undefined) {
      const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (given !== options.apiKey) {
        return sendJson(res, 401, {
          error: {
            message: given ? `Incorrect API key provided: ${given}` : 'Missing API key',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      }
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: modelName, object: 'model', created: 0, owned_by: 'vllm', root: modelName, max_model_len: model.contextSize }],
      });
    }
    if (req.method === 'POST' && (path === '/tokenize' || path === '/detokenize') && !faults.noTokenizer) {
      return path === '/tokenize' ? tokenize(res, body) : detokenize(res, body);
    }
    if (req.method === 'POST' && path === '/v1/completions') return completions(res, body);
    return sendJson(res, 404, { detail: 'Not Found' });
  }

  function tokenize(res: ServerResponse, body: unknown): void {
    if (!isRecord(body) || typeof body.prompt !== 'string') {
      return sendJson(res, 400, { object: 'error', message: 'prompt must be a string', type: 'BadRequestError', code: 400 });
    }
    const tokens = model.tokenize(body.prompt);
    sendJson(res, 200, { count: tokens.length, max_model_len: model.contextSize, tokens });
  }

  function detokenize(res: ServerResponse, body: unknown): void {
    const tokens = isRecord(body) ? body.tokens : undefined;
    if (!Array.isArray(tokens) || !tokens.every((t) => Number.isInteger(t) && t >= 0 && t < model.vocabularySize)) {
      return sendJson(res, 400, { object: 'error', message: 'tokens must be a list of token ids', type: 'BadRequestError', code: 400 });
    }
    sendJson(res, 200, { prompt: model.detokenize(tokens as number[]) });
  }

  async function completions(res: ServerResponse, body: unknown): Promise<void> {
    const bad = (message: string) => sendJson(res, 400, { object: 'error', message, type: 'BadRequestError', code: 400 });
    if (!isRecord(body)) return bad('The body must be a JSON object');
    if (body.model !== modelName) {
      return sendJson(res, 404, {
        error: { message: `The model \`${String(body.model)}\` does not exist.`, type: 'NotFoundError', param: 'model', code: 404 },
      });
    }
    active++;
    maxConcurrent = Math.max(maxConcurrent, active);
    const index = ++completionIndex;
    // A client that gave up (a timeout) leaves: its completion must not run later, or use up faults.
    let closed = false;
    res.on('close', () => (closed = true));
    try {
      if (fire('rateLimit')) {
        const after = faults.rateLimit?.retryAfter;
        res.setHeader('retry-after', String(after ?? 0));
        return sendJson(res, 429, { error: { message: 'Too many requests', type: 'RateLimitError', code: 429 } });
      }
      if (fire('serverError')) {
        const status = faults.serverError?.status ?? 503;
        return sendJson(res, status, { error: { message: 'The engine is overloaded', type: 'ServiceUnavailableError', code: status } });
      }
      if (fire('delay')) await sleep(faults.delay!.ms);
      if (closed) return;
      let prompt: number[];
      if (typeof body.prompt === 'string') prompt = model.tokenize(body.prompt);
      else if (Array.isArray(body.prompt) && body.prompt.every((t) => Number.isInteger(t) && t >= 0 && t < model.vocabularySize)) {
        prompt = body.prompt as number[];
      } else return bad('prompt must be a string or a list of token ids');
      if (prompt.length === 0) return bad('The prompt is empty');
      const maxTokens = body.max_tokens ?? 16;
      if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) return bad('max_tokens must be at least 1');
      if (prompt.length + (maxTokens as number) > model.contextSize) {
        return bad(
          `This model's maximum context length is ${model.contextSize} tokens. However, you requested ${prompt.length + (maxTokens as number)} tokens (${prompt.length} in the messages, ${maxTokens as number} in the completion). Please reduce the length of the messages or completion.`,
        );
      }
      const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === 'string') : [];
      const topK = typeof body.top_k === 'number' && body.top_k > 0 ? body.top_k : 0;
      const sampling: SamplingSettings = {
        temperature: typeof body.temperature === 'number' ? body.temperature : 1,
        topK,
        topP: typeof body.top_p === 'number' ? body.top_p : 1,
        ...(typeof body.min_p === 'number' ? { minP: body.min_p } : {}),
        seed: typeof body.seed === 'number' ? body.seed : Math.floor(Math.random() * 2 ** 31),
      };
      const logprobs = typeof body.logprobs === 'number' && !faults.ignoreLogprobs ? body.logprobs : null;
      const wire: WireOptions = {
        logprobs,
        asIds: body.return_tokens_as_token_ids === true,
        tokenIds: body.return_token_ids === true && !faults.ignoreLogprobs,
        stopReason: !faults.omitStopReason,
        usage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
        continuousUsage: isRecord(body.stream_options) && body.stream_options.continuous_usage_stats === true && !faults.noContinuousUsage,
      };
      const params = {
        prompt,
        maxTokens: maxTokens as number,
        sampling,
        stop,
        includeStop: body.include_stop_str_in_output === true && !faults.omitStopReason,
        holdBack: !faults.omitStopReason,
        skipSpecial: body.skip_special_tokens !== false,
        topLogprobs: logprobs ?? 0,
      };
      const id = `cmpl-${index}`;
      if (body.stream !== true) {
        return await model.exclusive(async () => {
          const steps: CompletionStep[] = [];
          for await (const step of model.complete(params)) steps.push(step);
          sendJson(res, 200, {
            id,
            object: 'text_completion',
            created: 0,
            model: modelName,
            choices: [choice(steps, prompt, wire, 0, true)],
            usage: usage(prompt.length, steps.length),
          });
        });
      }
      await model.exclusive(async () => {
        if (closed) return;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        let chunks = 0;
        let generated = 0;
        let offset = 0;
        const stall = fire('stall') ? faults.stall! : null;
        const kill = fire('killStream') ? faults.killStream! : null;
        const malformed = fire('malformedChunk') ? faults.malformedChunk! : null;
        let finished = false;
        for await (const step of model.complete(params)) {
          if (closed) return;
          generated++;
          chunks++;
          if (malformed && chunks === malformed.chunk) {
            res.end(`data: {"id": "${id}", "choices": [{"text": "${step.text.replace(/["\\\n]/g, '')}", "index"\n\n`);
            return;
          }
          const c = choice([step], chunks === 1 ? prompt : null, wire, offset, false);
          offset += step.piece.length;
          const chunk: Json = { id, object: 'text_completion', created: 0, model: modelName, choices: [c] };
          if (wire.continuousUsage) chunk.usage = usage(prompt.length, generated);
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
          if (step.finish) finished = true;
          if (kill && chunks === kill.chunks) {
            res.socket?.destroy();
            return;
          }
          if (stall && chunks === stall.chunks) await sleep(stall.ms);
        }
        if (closed) return;
        if (!finished) {
          // The context window filled up.
          const c = { index: 0, text: '', logprobs: null, finish_reason: 'length', ...(wire.stopReason ? { stop_reason: null } : {}) };
          res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created: 0, model: modelName, choices: [c] })}\n\n`);
        }
        if (wire.usage) {
          res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created: 0, model: modelName, choices: [], usage: usage(prompt.length, generated) })}\n\n`);
        }
        res.end('data: [DONE]\n\n');
      });
    } finally {
      active--;
    }
  }

  interface WireOptions {
    logprobs: number | null;
    asIds: boolean;
    tokenIds: boolean;
    stopReason: boolean;
    usage: boolean;
    continuousUsage: boolean;
  }

  /** One choice for `steps` (one per streamed chunk; all of them for a non-streamed answer). */
  function choice(steps: CompletionStep[], prompt: number[] | null, wire: WireOptions, offset: number, whole: boolean): Json {
    const last = steps[steps.length - 1];
    const finish = last?.finish ?? (whole ? { reason: 'length', stopReason: null } : null);
    const tokenString = (id: number) => (wire.asIds ? `token_id:${id}` : model.piece(id));
    let logprobs: Json | null = null;
    if (wire.logprobs !== null && steps.length > 0) {
      const textOffset: number[] = [];
      let at = offset;
      for (const s of steps) {
        textOffset.push(at);
        at += tokenString(s.id).length;
      }
      logprobs = {
        text_offset: textOffset,
        token_logprobs: steps.map((s) => Math.max(s.logprob, -9999)),
        tokens: steps.map((s) => tokenString(s.id)),
        top_logprobs: steps.map((s) => {
          const dict: Record<string, number> = {};
          // vLLM puts the chosen token in the dict, then the most likely ones.
          dict[tokenString(s.id)] = Math.max(s.logprob, -9999);
          for (const [id, lp] of s.top.slice(0, wire.logprobs!)) {
            const key = tokenString(id);
            if (!(key in dict)) dict[key] = Math.max(lp, -9999);
          }
          return dict;
        }),
      };
    }
    return {
      index: 0,
      text: steps.map((s) => s.text).join(''),
      logprobs,
      finish_reason: finish ? finish.reason : null,
      ...(wire.stopReason ? { stop_reason: finish ? finish.stopReason : null } : {}),
      ...(wire.tokenIds ? { token_ids: steps.map((s) => s.id) } : {}),
      ...(wire.tokenIds && prompt ? { prompt_token_ids: prompt } : {}),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let killed: Promise<void> | null = null;
  const kill = (): Promise<void> => {
    killed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return killed;
  };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    modelName,
    model,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    setFaults(next: Faults) {
      faults = next;
      fired = new Map();
    },
    kill,
    async close() {
      await kill();
      await model.exclusive(() => model.dispose());
    },
  };
}

function usage(prompt: number, completion: number): Json {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
