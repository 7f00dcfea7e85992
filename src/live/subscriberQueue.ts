/**
 * One subscription's events on their way to its socket: the async iterator a subscription
 * resolver returns, fed by the token's feed. graphql-ws pulls the next event only once the
 * previous one is written to the socket, so events a slow client has not read wait here; the
 * feed checks `size` after each offer and drops such a client (subscriptionFeeds.ts).
 */
export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ending = false;
  private closed = false;

  /** `onClose` runs once, when the consumer stops (client completes, socket closes) or after `end`. */
  constructor(private readonly onClose: () => void) {}

  get size(): number {
    return this.items.length;
  }

  /** Queues `item`; with `replaces`, instead of a queued item it matches (only the latest counts). */
  offer(item: T, replaces?: (queued: T) => boolean): void {
    if (this.closed || this.ending) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    const index = replaces ? this.items.findIndex(replaces) : -1;
    if (index >= 0) this.items[index] = item;
    else this.items.push(item);
  }

  /** No more events: the consumer gets what is queued, then completion. */
  end(): void {
    this.ending = true;
    if (this.items.length === 0) void this.return();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      if (this.ending && this.items.length === 0) this.close();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.closed || this.ending) return this.return();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.close();
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
