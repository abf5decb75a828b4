/**
 * HTTP for the remote engine: JSON requests and streamed responses to an OpenAI-compatible server,
 * with the API key as a bearer token, an inactivity timeout, retries with exponential backoff and
 * jitter on 429, 5xx and dropped connections (honouring Retry-After), and errors that say what
 * happened and where — never with the API key in them.
 */
import type { RemoteEndpoint } from './endpoint';
import { RemoteEngineError, redactSecrets } from './errors';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, sleep, type BackoffOptions } from './retry';
import { serverErrorMessage } from './wire';

export interface HttpClientOptions {
  endpoint: RemoteEndpoint;
  apiKey?: string;
  /** Longest wait for a response, or for the next piece of a streamed body. */
  timeoutMs: number;
  /** Retries after 429, 5xx and dropped connections. */
  maxRetries: number;
  backoff?: BackoffOptions;
  log?: (message: string) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Relative to the server root instead of the API base (vLLM's and llama.cpp's `/tokenize`). */
  atRoot?: boolean;
  /** Called before each retry. */
  onRetry?: (error: RemoteEngineError) => void;
}

/** A response whose body is being read: bytes as they arrive, under the inactivity timeout. */
export interface OpenStream {
  status: number;
  contentType: string;
  /** The body; each piece re-arms the timeout. Errors are RemoteEngineErrors. */
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  close(): void;
}

/** Watches for inactivity: aborts its signal when `touch` is not called for `ms`. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get fired(): boolean {
    return this.controller.signal.aborted;
  }

  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error('timeout')), this.ms);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The system error code behind a fetch failure (undici wraps it in `cause`). */
function errorCode(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
      return (e as { code: string }).code;
    }
    e = typeof e === 'object' && e !== null && 'cause' in e ? (e as { cause: unknown }).cause : null;
  }
  return null;
}

export class RemoteHttpClient {
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];

  constructor(private readonly options: HttpClientOptions) {
    this.headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const { apiKey } = options;
    const userinfo = options.endpoint.userinfo;
    if (apiKey) this.headers.authorization = `Bearer ${apiKey}`;
    else if (userinfo) this.headers.authorization = `Basic ${Buffer.from(userinfo).toString('base64')}`;
    this.secrets = [apiKey ?? '', userinfo ?? '', userinfo?.slice(userinfo.indexOf(':') + 1) ?? ''].filter(Boolean);
    if (this.headers.authorization) this.secrets.push(this.headers.authorization.replace(/^\w+ /, ''));
  }

  /** The endpoint as it may be shown (no credentials). */
  get endpoint(): string {
    return this.options.endpoint.base;
  }

  /** Removes every secret this client knows from `text`. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /** GET a JSON document. */
  async getJson(path: string, options: RequestOptions = {}): Promise<unknown> {
    const stream = await this.open('GET', path, undefined, options);
    return this.readJson(stream, path, options.atRoot);
  }

  /** POST a JSON body and read a JSON answer. */
  async postJson(path: string, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    const stream = await this.open('POST', path, body, options);
    return this.readJson(stream, path, options.atRoot);
  }

  /**
   * Sends a request and returns its response once the status is a success, retrying as the
   * options say. The body is left to the caller to read (streamed completions).
   */
  async open(method: 'GET' | 'POST', path: string, body: unknown, options: RequestOptions = {}): Promise<OpenStream> {
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, body, options);
      } catch (error) {
        if (!(error instanceof RemoteEngineError) || !error.retryable || attempt >= this.options.maxRetries) throw error;
        const delay = backoffDelay(attempt, backoff, error.retryAfterMs);
        options.onRetry?.(error);
        this.log(`${method} ${this.url(path, options.atRoot)}: ${error.message}; retry ${attempt + 1} of ${this.options.maxRetries} in ${delay} ms`);
        try {
          await sleep(delay, options.signal);
        } catch {
          throw this.cancelled();
        }
      }
    }
  }

  /** The error for a request the caller aborted. */
  cancelled(): RemoteEngineError {
    return new RemoteEngineError('cancelled', `The request to the remote engine at ${this.endpoint} was cancelled`);
  }

  /** The full URL of an API path (no credentials). */
  url(path: string, atRoot = false): string {
    return `${atRoot ? this.options.endpoint.root : this.options.endpoint.base}${path}`;
  }

  log(message: string): void {
    this.options.log?.(this.redact(`remote engine: ${message}`));
  }

  private async once(method: 'GET' | 'POST', path: string, body: unknown, options: RequestOptions): Promise<OpenStream> {
    const url = this.url(path, options.atRoot);
    const idle = new IdleTimer(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: this.headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
      });
    } catch (error) {
      idle.stop();
      throw this.fetchError(error, url, idle, options.signal);
    }
    if (!response.ok) {
      const text = await readCapped(response, 4000).catch(() => '');
      idle.stop();
      throw this.statusError(response, text, url);
    }
    idle.touch();
    const reader = response.body?.getReader() ?? null;
    const bodyError = (error: unknown) => this.fetchError(error, url, idle, options.signal, true);
    const iterable: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        if (!reader) return;
        try {
          for (;;) {
            let result: ReadableStreamReadResult<Uint8Array>;
            try {
              result = await reader.read();
            } catch (error) {
              throw bodyError(error);
            }
            if (result.done) return;
            idle.touch();
            yield result.value;
          }
        } finally {
          idle.stop();
        }
      },
    };
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: iterable,
      close: () => {
        idle.stop();
        reader?.cancel().catch(() => undefined);
      },
    };
  }

  private async readJson(stream: OpenStream, path: string, atRoot?: boolean): Promise<unknown> {
    const chunks: Uint8Array[] = [];
    for await (const c of stream.body) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RemoteEngineError(
        'malformed',
        `The remote engine at ${this.endpoint} answered ${this.url(path, atRoot)} with something that is not JSON: ${this.redact(excerpt(text))}`,
        stream.status,
      );
    }
  }

  private fetchError(error: unknown, url: string, idle: IdleTimer, userSignal: AbortSignal | undefined, midBody = false): RemoteEngineError {
    if (error instanceof RemoteEngineError) return error;
    if (userSignal?.aborted) return this.cancelled();
    if (idle.fired) {
      return new RemoteEngineError(
        'timeout',
        `The remote engine at ${this.endpoint} sent nothing for ${this.options.timeoutMs} ms ${midBody ? 'in the middle of its answer to' : 'after the request to'} ${url} (timeout: thinkscope.remote.timeoutMs)`,
      );
    }
    const code = errorCode(error);
    const where = `the ThinkScope remote engine at ${this.endpoint}`;
    if (code === 'ECONNREFUSED') return new RemoteEngineError('unreachable', `Cannot reach ${where}: connection refused`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new RemoteEngineError('unreachable', `Cannot reach ${where}: the host name does not resolve (${code})`);
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new RemoteEngineError('unreachable', `Cannot reach ${where}: ${code}`);
    }
    const reason = (error instanceof Error ? error.message : String(error)) + (code ? ` (${code})` : '');
    if (midBody || (code !== null && RESET_CODES.has(code)) || /terminated|socket|other side closed/i.test(reason)) {
      return new RemoteEngineError(
        'interrupted',
        `The connection to ${where} broke ${midBody ? 'in the middle of the answer' : 'before an answer'}: ${this.redact(reason)}`,
        null,
        true,
      );
    }
    return new RemoteEngineError('unreachable', `Cannot reach ${where}: ${this.redact(reason)}`);
  }

  private statusError(response: Response, body: string, url: string): RemoteEngineError {
    const status = response.status;
    let message: string | null = null;
    try {
      message = serverErrorMessage(JSON.parse(body));
    } catch {
      message = body.trim() ? excerpt(body) : null;
    }
    const said = message ? `: ${this.redact(message)}` : '';
    const where = `The remote engine at ${this.endpoint}`;
    if (status === 401 || status === 403) {
      return new RemoteEngineError(
        'auth',
        `${where} refused the request (HTTP ${status}): ${this.headers.authorization ? 'the API key is wrong or lacks access' : 'it needs an API key and none is set'}`,
        status,
      );
    }
    if (status === 404) {
      const aboutModel = message !== null && /model/i.test(message);
      return new RemoteEngineError(
        aboutModel ? 'unknown-model' : 'not-found',
        aboutModel ? `${where} does not serve the requested model${said}` : `${where} has no ${url} (HTTP 404)${said}; check that the endpoint ends with /v1`,
        status,
      );
    }
    if (status === 429) {
      return new RemoteEngineError(
        'rate-limited',
        `${where} is rate-limiting requests (HTTP 429)${said}`,
        status,
        true,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    if (status >= 500) {
      return new RemoteEngineError('server', `${where} failed (HTTP ${status})${said}`, status, true, parseRetryAfter(response.headers.get('retry-after')));
    }
    return new RemoteEngineError('bad-request', `${where} refused the request to ${url} (HTTP ${status})${said}`, status);
  }
}

async function readCapped(response: Response, max: number): Promise<string> {
  const text = await response.text();
  return text.length > max ? text.slice(0, max) : text;
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
