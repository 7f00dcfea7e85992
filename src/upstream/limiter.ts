import { abortedError, UpstreamError } from './upstreamError.js';

export interface LimiterOptions {
  /** Tasks running at once, over all keys. */
  concurrency: number;
  /** Tasks running at once for one key. */
  perKey: number;
  /** Tasks allowed to wait, over all keys and for one key. */
  queue: number;
  queuePerKey: number;
}

/**
 * Caps the Stats API requests in flight, overall and per access token (the key), so that one
 * busy dashboard can neither use up the account's shared fair-usage limit nor starve other
 * callers. Waiting tasks are served round-robin across keys, not first come first served: a
 * token with a hundred waiting requests does not delay a token with one. The queues are
 * bounded; a full queue is refused at once with a BUSY error rather than piling up memory.
 */
export class UpstreamLimiter {
  private active = 0;
  private queued = 0;
  private readonly activeByKey = new Map<string, number>();
  // Insertion order is the round-robin order: a key that is served moves to the back.
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly options: LimiterOptions) {}

  async run<T>(key: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw abortedError(signal);
    if (!this.canStart(key)) await this.wait(key, signal);
    else this.take(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  private canStart(key: string): boolean {
    return (
      this.active < this.options.concurrency &&
      (this.activeByKey.get(key) ?? 0) < this.options.perKey &&
      !this.waiting.has(key)
    );
  }

  private take(key: string): void {
    this.active++;
    this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + 1);
  }

  private release(key: string): void {
    this.active--;
    const left = (this.activeByKey.get(key) ?? 1) - 1;
    if (left === 0) this.activeByKey.delete(key);
    else this.activeByKey.set(key, left);
    this.startWaiting();
  }

  private wait(key: string, signal: AbortSignal): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    if (this.queued >= this.options.queue || queue.length >= this.options.queuePerKey) {
      return Promise.reject(
        new UpstreamError('BUSY', 'Too many Stats API requests are waiting in the gateway', {
          retryAfterSeconds: 1,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index !== -1) {
          queue.splice(index, 1);
          this.queued--;
          if (queue.length === 0) this.waiting.delete(key);
        }
        reject(abortedError(signal));
      };
      const waiter = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      this.queued++;
      this.waiting.set(key, queue);
    });
  }

  /** Starts waiting tasks while there is room, taking keys in round-robin order. */
  private startWaiting(): void {
    for (const [key, queue] of this.waiting) {
      if (this.active >= this.options.concurrency) return;
      if ((this.activeByKey.get(key) ?? 0) >= this.options.perKey) continue;
      const start = queue.shift() as () => void;
      this.queued--;
      this.waiting.delete(key);
      if (queue.length > 0) this.waiting.set(key, queue);
      this.take(key);
      start();
    }
  }
}
