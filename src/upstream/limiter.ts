import { TokenWindow, type WindowBounds } from './tokenWindow.js';
import { abortedError, UpstreamError } from './upstreamError.js';

export interface LimiterOptions {
  /** Tasks running at once, over all keys. */
  concurrency: number;
  /** The most tasks running at once for one key, however large its window grows. */
  perKey: number;
  /** The least a key's window shrinks to (at most `perKey`); 1 when left out. */
  perKeyMin?: number;
  /** Tasks allowed to wait, over all keys and for one key. */
  queue: number;
  queuePerKey: number;
  /** Told when pushback shrinks a key's window. */
  onDecrease?: (from: number, to: number) => void;
  /** The clock idle keys are forgotten by, in milliseconds. */
  now?: () => number;
}

/** How a task went, as its caller judges it: answered, or told by upstream to slow down. */
export type Outcome = 'answered' | 'pushback';

// A key's window starts where the fixed per-token limit used to be, which upstream was known to
// accept. A key idle this long starts there again: what upstream allowed then says little about
// now. Past so many idle keys the oldest are forgotten sooner, so that memory stays bounded.
const INITIAL_WINDOW = 8;
export const FORGET_IDLE_MS = 60_000;
export const MAX_IDLE_KEYS = 10_000;

/**
 * Caps the Stats API requests in flight, overall and per access token (the key), so that one
 * busy dashboard backs off when upstream says the account's shared fair-usage limit is reached,
 * and cannot starve other callers. A key's cap is its window (tokenWindow.ts): it grows while
 * upstream answers and halves when upstream pushes back, between `perKeyMin` and `perKey`. Waiting tasks are served
 * round-robin across keys, not first come first served: a token with a hundred waiting requests
 * does not delay a token with one. The queues are bounded; a full queue is refused at once with
 * a BUSY error rather than piling up memory.
 */
export class UpstreamLimiter {
  private active = 0;
  private queued = 0;
  private readonly bounds: WindowBounds;
  private readonly now: () => number;
  private readonly keys = new Map<string, TokenWindow>();
  // Keys with nothing in flight or waiting, in the order they became so.
  private readonly idle = new Set<string>();
  // Insertion order is the round-robin order: a key that is served moves to the back.
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly options: LimiterOptions) {
    const max = options.perKey;
    this.bounds = { initial: INITIAL_WINDOW, min: Math.min(options.perKeyMin ?? 1, max), max };
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs `task` in a slot of `key`'s window; `outcomeOf` judges what it resolved to. */
  async run<T>(
    key: string,
    signal: AbortSignal,
    task: () => Promise<T>,
    outcomeOf: (value: T) => Outcome = () => 'answered',
  ): Promise<T> {
    if (signal.aborted) throw abortedError(signal);
    const window = this.windowOf(key);
    if (this.canStart(key, window)) this.take(window);
    else await this.wait(key, window, signal);
    const epoch = window.epoch;
    let outcome: Outcome | undefined;
    try {
      const value = await task();
      outcome = outcomeOf(value);
      return value;
    } finally {
      this.release(key, window, epoch, outcome);
    }
  }

  /** The window of every key known: in use, or idle for less than FORGET_IDLE_MS. */
  windows(): number[] {
    this.forget();
    return Array.from(this.keys.values(), (window) => window.size);
  }

  /** The key's window, marked in use; a new one if the key is unknown or was idle too long. */
  private windowOf(key: string): TokenWindow {
    const known = this.keys.get(key);
    if (known) {
      if (known.idleSince === undefined) return known;
      const recent = this.now() - known.idleSince < FORGET_IDLE_MS;
      this.idle.delete(key);
      known.idleSince = undefined;
      if (recent) return known;
    }
    const window = new TokenWindow(this.bounds);
    this.keys.set(key, window);
    return window;
  }

  private canStart(key: string, window: TokenWindow): boolean {
    return this.active < this.options.concurrency && window.hasRoom() && !this.waiting.has(key);
  }

  private take(window: TokenWindow): void {
    this.active++;
    window.inFlight++;
  }

  private release(key: string, window: TokenWindow, epoch: number, outcome?: Outcome): void {
    if (outcome === 'answered') window.answered(epoch);
    else if (outcome === 'pushback') {
      const before = window.pushedBack(epoch);
      if (before !== undefined) this.options.onDecrease?.(before, window.size);
    }
    this.active--;
    window.inFlight--;
    this.startWaiting();
    this.settle(key, window);
  }

  /** Marks a key idle once it has nothing in flight or waiting, and forgets old idle keys. */
  private settle(key: string, window: TokenWindow): void {
    if (window.inFlight > 0 || this.waiting.has(key)) return;
    window.idleSince = this.now();
    this.idle.add(key);
    this.forget();
  }

  private forget(): void {
    const now = this.now();
    for (const key of this.idle) {
      const window = this.keys.get(key) as TokenWindow;
      const since = window.idleSince as number;
      if (now - since < FORGET_IDLE_MS && this.idle.size <= MAX_IDLE_KEYS) return;
      this.idle.delete(key);
      this.keys.delete(key);
    }
  }

  private wait(key: string, window: TokenWindow, signal: AbortSignal): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    if (this.queued >= this.options.queue || queue.length >= this.options.queuePerKey) {
      this.settle(key, window);
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
          this.settle(key, window);
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
      const window = this.keys.get(key) as TokenWindow;
      if (!window.hasRoom()) continue;
      const start = queue.shift() as () => void;
      this.queued--;
      this.waiting.delete(key);
      if (queue.length > 0) this.waiting.set(key, queue);
      this.take(window);
      start();
    }
  }
}
