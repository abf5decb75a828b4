/**
 * A concurrency limiter: at most `limit` tasks run at once, the others wait their turn in order.
 * The remote engine runs every generation through one, so a sweep or an experiment can start all of
 * its runs at once and the server never sees more than `thinkscope.remote.concurrency` of them.
 */

export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`A concurrency limit must be a whole number ≥ 1, got ${JSON.stringify(limit)}`);
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` once a slot is free, and frees the slot when it settles. A task whose `signal`
   * aborts while it waits is dropped from the queue and rejects with the signal's reason.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.acquire(signal).then(async (release) => {
      try {
        return await task();
      } finally {
        release();
      }
    });
  }

  private acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.waiting.shift()?.();
    };
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve(release);
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(start);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      this.waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the items' order.
 * The first rejection rejects the whole map (calls already started still finish).
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limiter = new ConcurrencyLimiter(limit);
  return Promise.all(items.map((item, i) => limiter.run(() => fn(item, i))));
}
