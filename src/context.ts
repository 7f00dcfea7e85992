import { GraphQLError } from 'graphql';
import { ErrorCode, unauthenticated } from './errors.js';
import { ResultLimit } from './graphql/resultLimit.js';
import type { FeedEnd, LiveFeeds, LiveSink, QueueStatsFeed } from './live/liveFeeds.js';
import type { LiveQueueReport } from './live/queueReports.js';
import { credentialKey } from './upstream/credential.js';
import { createInteractionLoader, type InteractionLoader } from './loaders/interactionLoader.js';
import { InteractionPages } from './loaders/interactionPages.js';
import type { Logger } from './telemetry/logger.js';
import type { Metrics } from './telemetry/metrics.js';
import type { OperationTrace, Tracing } from './telemetry/tracing.js';
import type { StatsClient, UpstreamCaller } from './upstream/statsClient.js';
import type {
  InteractionDto,
  InteractionPageDto,
  QueueTimesParams,
  QueueTypeDto,
  QueueVisitPageDto,
} from './upstream/types.js';
import { allQueueVisits, type AllVisits } from './loaders/queueTimes.js';

export interface Loaders {
  interaction: InteractionLoader;
  pages: InteractionPages;
  queueTimes: {
    /** One page of `GET /queue-times`. */
    page(params: QueueTimesParams): Promise<QueueVisitPageDto>;
    /** Every page of a window, refused past QUEUE_STATS_MAX_VISITS. */
    all(params: Omit<QueueTimesParams, 'page' | 'limit'>): Promise<AllVisits>;
  };
}

/** The caller's live feeds, for subscriptions (over WebSocket only). */
export interface LiveSession {
  interactionUpdates(guids?: readonly string[] | null): AsyncIterable<InteractionDto | FeedEnd>;
  ongoingInteractions(limit: number): AsyncIterable<InteractionPageDto | FeedEnd>;
  queueStatsUpdates(queueType: QueueTypeDto, report: LiveQueueReport): QueueStatsFeed;
}

/** What a WebSocket adds to an operation's scope: the feeds and the socket they send on. */
export interface LiveScope {
  feeds: LiveFeeds;
  sink: LiveSink;
}

export interface Context {
  requestId: string;
  logger: Logger;
  /** Stats API attempts this operation made, and how many of them were retries. */
  usage: UpstreamCaller['usage'];
  /** Caps how long the answer may be cached, in seconds, below the schema's hints. */
  limitCacheAge(seconds: number): void;
  /** The cap so far: `Infinity` when nothing has lowered it. */
  cacheAge(): number;
  /** Counts the interactions, channels and events resolved into the answer (MAX_RESULT_ITEMS). */
  result: ResultLimit;
  /** The operation's trace, when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  trace?: OperationTrace;
  /**
   * This operation's loaders, bound to the caller's token. Throws UNAUTHENTICATED when the
   * request has no `Authorization` header, so that no upstream call is made without one.
   */
  loaders(): Loaders;
  /** The caller's live feeds; throws UNAUTHENTICATED without a token, BAD_REQUEST over HTTP. */
  live(): LiveSession;
}

/** What the HTTP layer knows of one request before GraphQL runs. */
export interface RequestScope {
  requestId: string;
  /** Aborted at the operation's deadline or when the caller disconnects. */
  signal: AbortSignal;
  deadline: number;
}

export function createContext(
  deps: {
    client: StatsClient;
    logger: Logger;
    metrics: Metrics;
    tracing?: Tracing;
    maxResultItems: number;
    maxQueueVisits: number;
  },
  // Forwarded verbatim; Node has already dropped the surrounding whitespace HTTP allows.
  authorization: string | undefined,
  { requestId, signal, deadline }: RequestScope,
  liveScope?: LiveScope,
): Context {
  const logger = deps.logger.child({ requestId });
  const usage = { calls: 0, retries: 0 };
  const trace = deps.tracing?.operation(requestId);
  let cacheAge = Infinity;
  let loaders: Loaders | undefined;
  return {
    requestId,
    logger,
    usage,
    limitCacheAge(seconds) {
      cacheAge = Math.min(cacheAge, seconds);
    },
    cacheAge: () => cacheAge,
    result: new ResultLimit(deps.maxResultItems),
    trace,
    loaders() {
      if (!authorization) throw unauthenticated();
      if (!loaders) {
        const caller = {
          authorization,
          tokenKey: credentialKey(authorization),
          requestId,
          signal,
          deadline,
          logger,
          usage,
          onAttempt: trace?.attempt,
        };
        const pages = new InteractionPages(deps.client, caller);
        const onBatch = (size: number) => deps.metrics.loaderBatch(size);
        const interaction = createInteractionLoader(deps.client, caller, pages, onBatch);
        const { client, maxQueueVisits } = deps;
        const queueTimes = {
          page: (params: QueueTimesParams) => client.getQueueTimes(params, caller),
          all: (params: Omit<QueueTimesParams, 'page' | 'limit'>) =>
            allQueueVisits(client, caller, params, maxQueueVisits),
        };
        loaders = { interaction, pages, queueTimes };
      }
      return loaders;
    },
    live() {
      if (!liveScope) {
        throw new GraphQLError(
          'Subscriptions run over WebSocket (graphql-transport-ws) at this URL.',
          {
            extensions: { code: ErrorCode.BAD_REQUEST },
          },
        );
      }
      if (!authorization) throw unauthenticated();
      const { feeds, sink } = liveScope;
      return {
        interactionUpdates: (guids) =>
          feeds.interactionUpdates(
            authorization,
            guids ? new Set(guids.map((guid) => guid.toLowerCase())) : undefined,
            sink,
          ),
        ongoingInteractions: (limit) => feeds.ongoingInteractions(authorization, limit, sink),
        queueStatsUpdates: (queueType, report) =>
          feeds.queueStatsUpdates(authorization, queueType, report, sink),
      };
    },
  };
}
