/**
 * When to send a failed request again: exponential backoff with jitter, and the server's
 * Retry-After when it gives one.
 */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter (milliseconds). */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Uniform in [0, 1): the jitter source (Math.random by default). */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (0 for the first retry): `baseMs · 2^attempt`, scaled by
 * a jitter factor in [0.5, 1), capped at `maxMs`. A Retry-After from the server wins when it is
 * longer (it is capped at `maxMs` too).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterMs: number | null = null): number {
  const random = options.random ?? Math.random;
  const exponential = options.baseMs * 2 ** Math.max(0, attempt);
  const jittered = Math.min(options.maxMs, exponential * (0.5 + random() / 2));
  const delay = retryAfterMs !== null ? Math.max(jittered, Math.min(retryAfterMs, options.maxMs)) : jittered;
  return Math.max(0, Math.round(delay));
}

/**
 * A Retry-After header in milliseconds: delta-seconds (`120`) or an HTTP date. null when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
