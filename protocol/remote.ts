/**
 * The remote engine: settings for an OpenAI-compatible completions server (vLLM, SGLang,
 * llama.cpp's server), the credentials kept apart from them, and what a remote trace records about
 * how it was obtained.
 *
 * The API key is never part of RemoteSettings: the extension keeps it in VS Code's SecretStorage and
 * hands it to the server at run time as RemoteCredentials, which are never written to disk, to a
 * trace or to a log.
 */

/** How the remote engine counts tokens when the server does not give them one by one. */
export type RemoteTokenCounting = 'usage' | 'tokenizer' | 'auto';

export interface RemoteSettings {
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. */
  endpoint: string;
  /** The model id the server serves, e.g. `simplescaling/s1.1-32B`. */
  model: string;
  /** The longest wait, in milliseconds, for the server's response or for its next streamed chunk. */
  timeoutMs: number;
  /** How many times a request is retried after 429, 5xx or a dropped connection. */
  maxRetries: number;
  /** At most this many generations run against the server at the same time (sweeps, experiments). */
  concurrency: number;
  /**
   * Where token counts come from when the server returns no per-token logprobs or ids: its `usage`
   * figures streamed with each chunk (vLLM's `continuous_usage_stats`), its tokenizer endpoint
   * (`/tokenize`, re-tokenizing each chunk's text), or `auto` (usage when streamed, else the
   * tokenizer). Without either, each streamed chunk counts as one token.
   */
  tokenCounting: RemoteTokenCounting;
  /** The model's Jinja chat template; null or absent: the prompt template, or ChatML. */
  chatTemplate?: string | null;
  /** The model's context window in tokens; null or absent: asked from the server (`max_model_len`). */
  contextSize?: number | null;
}

/** Secrets for a remote server. Never persisted, never put in a trace or a message. */
export interface RemoteCredentials {
  apiKey?: string;
}

export const DEFAULT_REMOTE_SETTINGS: RemoteSettings = {
  endpoint: 'http://127.0.0.1:8000/v1',
  model: '',
  timeoutMs: 60_000,
  maxRetries: 3,
  concurrency: 4,
  tokenCounting: 'auto',
  chatTemplate: null,
  contextSize: null,
};

/**
 * How the tokens of a remote trace were obtained. Written as the trace's `remote` field (a field
 * trace format version 1 does not define, so readers keep it as it is).
 */
export interface RemoteTraceInfo {
  /** The server kind as it names itself (`vllm`, `sglang`, `llamacpp`), or `openai-compatible`. */
  server: string;
  /** `present`: every token came with its logprob; `absent`: the server ignored `logprobs`. */
  logprobs: 'present' | 'absent';
  /**
   * `server`: every token and alternative came with its id (from the server's responses, or its
   * tokenizer for inserted text); `unknown`: some did not — such tokens have id -1 and such
   * alternatives are left out (the trace format requires alternatives' ids).
   */
  tokenIds: 'server' | 'unknown';
  /**
   * How `thinkingTokens` / `answerTokens` were counted: one trace token per server token
   * (`logprobs`), the server's `usage` figures, its tokenizer, or one per streamed chunk (`chunks`).
   */
  tokenCounting: 'logprobs' | 'usage' | 'tokenizer' | 'chunks';
  /**
   * How inserted text (the extension string, the forced end, the rest of a delimiter) was split into
   * tokens: by the server's tokenizer, or as one token per insertion counted by an estimate
   * (about four characters a token) when the server has no tokenizer endpoint.
   */
  insertedTokens: 'tokenizer' | 'estimated';
  /** How each follow-up request gave the model its context: as token ids, or as text it re-tokenized. */
  continuation: 'tokens' | 'text';
  /** Entropy: `approximate` when computed from top alternatives covering nearly all probability, else `none`. */
  entropy: 'approximate' | 'none';
  /** Completion requests made. */
  requests: number;
  /** Requests retried (429, 5xx, dropped connections) or streams resumed after they broke. */
  retries: number;
}
