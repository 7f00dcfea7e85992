import type { Feed, FeedTransport } from './liveFeeds.js';
import { pollerFor, type PollerDeps } from './localTransport.js';
import type { SharedNames, SharedState } from './sharedState.js';

type Poller = ReturnType<typeof pollerFor>;

/**
 * With REDIS_URL: one poller per token and endpoint across the replicas. Every replica with
 * subscribers for a feed listens on its channel and, once per interval, tries for its lease;
 * the holder polls and publishes what changed, renewing the lease as it goes. When the holder
 * stops (its last subscriber left, or it shut down) it releases the lease; when it dies, the
 * lease expires after three intervals. Either way another replica with subscribers takes it
 * and resumes from the state the holder kept in Redis, so nothing is sent twice or missed.
 * While Redis cannot be reached, each replica polls for its own subscribers, as without it.
 */
export function redisTransport(state: SharedState, deps: PollerDeps): FeedTransport {
  const shared = new Map<Feed, SharedFeed>();
  // Leases being released, which must reach Redis before its connections close.
  const closing = new Set<Promise<void>>();
  const close = (feed: Feed) => {
    const done = shared.get(feed)?.close();
    shared.delete(feed);
    if (!done) return;
    closing.add(done);
    void done.finally(() => closing.delete(done));
  };
  return {
    open(feed) {
      const driver = new SharedFeed(feed, state, deps);
      shared.set(feed, driver);
      void driver.open();
    },
    close,
    async stop() {
      [...shared.keys()].forEach(close);
      await Promise.allSettled(closing);
      await state.close();
    },
  };
}

class SharedFeed {
  /** Set once the feed has joined the replicas' channel. */
  private names: SharedNames | undefined;
  /** The subscription to that channel: made once, however many ticks wait for it. */
  private listening: { names: SharedNames; done: Promise<void> } | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Polling for the replicas (holding the lease), or for this one alone (Redis away). */
  private polling: { poller: Poller; alone: boolean } | undefined;
  private ticking = false;
  private closed = false;

  constructor(
    private readonly feed: Feed,
    private readonly state: SharedState,
    private readonly deps: PollerDeps,
  ) {
    this.timer = setInterval(() => void this.tick(), deps.pollMs);
  }

  open(): Promise<void> {
    return this.tick();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const polling = this.polling;
    this.polling = undefined;
    polling?.poller.stop();
    const names = this.listening?.names;
    if (!names) return;
    await Promise.allSettled([
      polling && !polling.alone ? this.state.release(names) : undefined,
      this.state.unlisten(names),
    ]);
  }

  /** Once per interval: join the channel if not yet, then try for (or renew) the lease. */
  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      let leased: boolean | undefined;
      if (this.state.ready()) {
        try {
          this.names ??= await this.join();
          const holding = this.polling !== undefined && !this.polling.alone;
          leased = await within(this.state.lease(this.names, holding), this.deps.pollMs);
        } catch {
          leased = undefined; // Redis went away meanwhile
        }
      }
      if (!this.closed) await this.follow(leased);
    } finally {
      this.ticking = false;
    }
  }

  private async join(): Promise<SharedNames> {
    this.listening ??= (() => {
      const names = this.state.names(this.feed.authorization, this.feed.endpoint) as SharedNames;
      return { names, done: this.state.listen(names, (message) => this.feed.receive(message)) };
    })();
    const { names, done } = this.listening;
    await within(done, this.deps.pollMs);
    if (this.feed.endpoint === 'ongoing') {
      const { ongoing } = await this.state.resume(names).catch(() => ({ ongoing: undefined }));
      // Only if nothing newer came on the channel meanwhile.
      if (ongoing && !this.feed.latest) this.feed.receive({ kind: 'ongoing', page: ongoing });
    }
    return names;
  }

  /** Polls, stops polling or carries on, given the lease: held, held elsewhere, or unknown. */
  private async follow(leased: boolean | undefined): Promise<void> {
    if (leased === undefined) {
      if (!this.polling) this.start(true, {});
      return;
    }
    if (this.polling?.alone || (this.polling && !leased)) {
      this.polling.poller.stop();
      this.polling = undefined;
    }
    if (leased && !this.polling && this.names) {
      const resumed = await this.state.resume(this.names).catch(() => ({}));
      if (!this.closed) this.start(false, resumed);
    }
  }

  private start(alone: boolean, resumed: Parameters<Poller['start']>[0]): void {
    const names = this.names;
    const poller = pollerFor(
      this.feed,
      this.deps,
      alone || !names
        ? { deliver: (message) => this.feed.receive(message) }
        : {
            deliver: (message) => void this.state.publish(names, message).catch(() => {}),
            onProgress: (progress) => void this.state.save(names, progress).catch(() => {}),
          },
    );
    this.polling = { poller, alone };
    poller.start(resumed);
  }
}

/** `promise`, or a rejection once `ms` have passed: a command waiting on a reconnection. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
