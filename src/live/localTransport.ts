import type { Logger } from '../telemetry/logger.js';
import type { LiveMetrics } from '../telemetry/metrics.js';
import type { StatsClient } from '../upstream/statsClient.js';
import type { Feed, FeedTransport } from './liveFeeds.js';
import { Poller } from './poller.js';

export interface PollerDeps {
  client: StatsClient;
  pollMs: number;
  logger: Logger;
  metrics: LiveMetrics;
}

/** A poller for `feed`, counted in the metrics while it runs. */
export function pollerFor(
  feed: Feed,
  deps: PollerDeps,
  options: Pick<ConstructorParameters<typeof Poller>[0], 'deliver' | 'onProgress'>,
): { start: Poller['start']; stop(): void } {
  const poller = new Poller({
    client: deps.client,
    authorization: feed.authorization,
    endpoint: feed.endpoint,
    pollMs: deps.pollMs,
    logger: deps.logger.child({ live: feed.endpoint }),
    onPoll: (endpoint, outcome) => deps.metrics.poll(endpoint, outcome),
    ...options,
  });
  let running = false;
  return {
    start(state) {
      running = true;
      deps.metrics.poller(feed.endpoint, 1);
      poller.start(state);
    },
    stop() {
      poller.stop();
      if (running) deps.metrics.poller(feed.endpoint, -1);
      running = false;
    },
  };
}

/** Without Redis: each process polls for its own subscribers, one poller per token and endpoint. */
export function localTransport(deps: PollerDeps): FeedTransport {
  const pollers = new Map<Feed, ReturnType<typeof pollerFor>>();
  return {
    open(feed) {
      const poller = pollerFor(feed, deps, { deliver: (message) => feed.receive(message) });
      pollers.set(feed, poller);
      poller.start();
    },
    close(feed) {
      pollers.get(feed)?.stop();
      pollers.delete(feed);
    },
    async stop() {
      for (const poller of pollers.values()) poller.stop();
      pollers.clear();
    },
  };
}
