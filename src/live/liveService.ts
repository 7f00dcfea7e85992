import type { Logger } from '../telemetry/logger.js';
import type { LiveMetrics } from '../telemetry/metrics.js';
import type { StatsClient } from '../upstream/statsClient.js';
import { createLiveFeeds, type LiveFeeds } from './liveFeeds.js';
import { localTransport } from './localTransport.js';
import { redisTransport } from './redisTransport.js';
import { connectSharedState } from './sharedState.js';

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
  const { client, pollMs, redisUrl, logger, metrics } = options;
  const deps = { client, pollMs, logger, metrics };
  const transport = redisUrl
    ? redisTransport(await connectSharedState(redisUrl, pollMs, logger), deps)
    : localTransport(deps);
  const feeds = createLiveFeeds(transport);
  return { feeds, stop: () => feeds.stop() };
}
