import type { Logger } from '../telemetry/logger.js';
import type { LiveMetrics } from '../telemetry/metrics.js';
import type { StatsClient } from '../upstream/statsClient.js';
import { createLiveFeeds, type LiveFeeds } from './liveFeeds.js';
import { localTransport } from './localTransport.js';

export interface LiveService {
  feeds: LiveFeeds;
  /** Stops polling (releasing any Redis lease) and closes the Redis connections. */
  stop(): Promise<void>;
}

export interface LiveOptions {
  client: StatsClient;
  pollMs: number;
  /** With Redis, one poller per token across the replicas; without, one per process. */
  redisUrl: string | undefined;
  logger: Logger;
  metrics: LiveMetrics;
}

export async function startLive(options: LiveOptions): Promise<LiveService> {
  const deps = {
    client: options.client,
    pollMs: options.pollMs,
    logger: options.logger,
    metrics: options.metrics,
  };
  const feeds = createLiveFeeds(localTransport(deps));
  return { feeds, stop: () => feeds.stop() };
}
