/**
 * Errors of the remote engine, each saying what went wrong and where (the endpoint, without
 * credentials), and a redactor that keeps secrets out of every message.
 */

/** What kind of failure: callers branch on this, users read the message. */
export type RemoteErrorKind =
  /** Nothing answers at the endpoint (connection refused, unknown host). */
  | 'unreachable'
  /** 401 / 403: the API key is missing or wrong. */
  | 'auth'
  /** The server does not serve the requested model. */
  | 'unknown-model'
  /** The endpoint has no such API (404 on a path). */
  | 'not-found'
  /** No response, or no next chunk, within the timeout. */
  | 'timeout'
  /** 429 after every retry. */
  | 'rate-limited'
  /** 5xx after every retry. */
  | 'server'
  /** 4xx other than the above: the server refused the request (its reason is in the message). */
  | 'bad-request'
  /** A response or streamed chunk that is not what the OpenAI completions format says. */
  | 'malformed'
  /** The connection dropped (reset, closed mid-stream) after every retry. */
  | 'interrupted'
  /** The caller aborted. */
  | 'cancelled'
  /** The remote settings themselves are wrong. */
  | 'settings';

export class RemoteEngineError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status: number | null = null,
    /** Whether the same request may succeed when sent again. */
    readonly retryable = false,
    /** Seconds the server asked to wait (Retry-After), when it did. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'RemoteEngineError';
  }
}

/**
 * Replaces every occurrence of each secret (and of its URL-encoded form) in `text` with `[redacted]`.
 * Secrets shorter than 4 characters are ignored: redacting them would mangle ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** The same error with secrets removed from its message (a RemoteEngineError keeps its kind and status). */
export function redactError(error: unknown, secrets: readonly (string | undefined)[]): Error {
  if (error instanceof RemoteEngineError) {
    const message = redactSecrets(error.message, secrets);
    if (message === error.message) return error;
    return new RemoteEngineError(error.kind, message, error.status, error.retryable, error.retryAfterMs);
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const message = redactSecrets(e.message, secrets);
  if (message === e.message) return e;
  const copy = new Error(message);
  copy.name = e.name;
  return copy;
}
