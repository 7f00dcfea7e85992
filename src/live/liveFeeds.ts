import type { QueueStatsReportModel } from '../model/queueStats.js';
import type { UpstreamErrorKind } from '../upstream/upstreamError.js';
import type { InteractionDto, InteractionPageDto, QueueTypeDto } from '../upstream/types.js';
import type { LiveQueueReport, QueueReportStart } from './queueReports.js';
import { pageSignature } from './changeTracker.js';
import type { Endpoint, FeedMessage } from './poller.js';
import { SubscriberQueue } from './subscriberQueue.js';
import { credentialKey as tokenKey } from '../upstream/credential.js';

/** The socket a subscription sends on, as the feed needs to see it. */
export interface LiveSink {
  /** Whether more is waiting to be sent on the socket than LIVE_MAX_BUFFERED_BYTES allows. */
  backlogged(): boolean;
  /** Disconnects the client as too slow. */
  drop(): void;
}

/** The last event of a feed upstream refused: the subscription ends with this error kind. */
export class FeedEnd {
  constructor(readonly reason: Extract<UpstreamErrorKind, 'UNAUTHORIZED' | 'FORBIDDEN'>) {}
}

export interface LiveFeeds {
  /** Each interaction of the token's account once per change; only `guids` when given. */
  interactionUpdates(
    authorization: string,
    guids: ReadonlySet<string> | undefined,
    sink: LiveSink,
  ): AsyncIterableIterator<InteractionDto | FeedEnd>;
  /** The first `limit` ongoing interactions: at once, then whenever they change. */
  ongoingInteractions(
    authorization: string,
    limit: number,
    sink: LiveSink,
  ): AsyncIterableIterator<InteractionPageDto | FeedEnd>;
  /**
   * `report` kept up to date from the token's queue visits (of `queueType`) and ongoing calls.
   * Messages wait until `begin` gives it the window read whole; then every changed report is
   * sent. `latestOngoing` is the ongoing list this process already has, if any.
   */
  queueStatsUpdates(
    authorization: string,
    queueType: QueueTypeDto,
    report: LiveQueueReport,
    sink: LiveSink,
  ): QueueStatsFeed;
  /** Stops every feed, poller and lease; subscribers are ended by their sockets closing. */
  stop(): Promise<void>;
}

/** A live queue report's events, once `begin` has given it its start. */
export interface QueueStatsFeed {
  events: AsyncIterableIterator<QueueStatsReportModel | FeedEnd>;
  latestOngoing: InteractionDto[] | undefined;
  begin(start: QueueReportStart): void;
}

/** How a feed is fed: a poller in this process, or through Redis from the replica polling. */
export interface FeedTransport {
  /** Starts feeding `feed.receive` (the token's first subscriber in this process). */
  open(feed: Feed): void;
  /** Stops feeding it (its last subscriber here left, or upstream ended it). */
  close(feed: Feed): void;
  stop(): Promise<void>;
}

type Listener = (message: FeedMessage) => void;

// Queued events are references to objects the feed shares between subscribers, so a long queue
// costs little memory; the bytes a client has not read are bounded on the socket instead.
const MAX_QUEUED_EVENTS = 1000;

/** One token's feed from one endpoint in this process, and the subscribers it fans out to. */
export class Feed {
  readonly listeners = new Set<Listener>();
  /** The ongoing list last received, given at once to a new subscriber. */
  latest: InteractionPageDto | undefined;

  constructor(
    readonly key: string,
    readonly authorization: string,
    readonly endpoint: Endpoint,
    private readonly onEnded: (feed: Feed) => void,
  ) {}

  receive(message: FeedMessage): void {
    if (message.kind === 'ongoing') this.latest = message.page;
    if (message.kind === 'ended') this.onEnded(this);
    for (const listener of this.listeners) listener(message);
  }
}

export function createLiveFeeds(transport: FeedTransport): LiveFeeds {
  const feeds = new Map<string, Feed>();
  // Upstream refused the token: a later subscriber starts a new feed (and learns it anew).
  const ended = (feed: Feed) => {
    if (feeds.get(feed.key) !== feed) return;
    feeds.delete(feed.key);
    transport.close(feed);
  };

  function join(authorization: string, endpoint: Endpoint, listener: Listener): () => void {
    const key = `${tokenKey(authorization)}:${endpoint}`;
    let feed = feeds.get(key);
    if (!feed) {
      feed = new Feed(key, authorization, endpoint, ended);
      feeds.set(key, feed);
      transport.open(feed);
    }
    const joined = feed;
    joined.listeners.add(listener);
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0 || feeds.get(key) !== joined) return;
      feeds.delete(key);
      transport.close(joined);
    };
  }

  /** A queue fed by `onMessage` from `endpoints`, dropping its client when it falls too far behind. */
  function subscriber<T>(
    authorization: string,
    endpoints: readonly Endpoint[],
    sink: LiveSink,
    onMessage: (message: FeedMessage, queue: SubscriberQueue<T | FeedEnd>) => void,
  ): SubscriberQueue<T | FeedEnd> {
    let leaving: (() => void)[] = [];
    const queue = new SubscriberQueue<T | FeedEnd>(() => leaving.forEach((leave) => leave()));
    leaving = endpoints.map((endpoint) =>
      join(authorization, endpoint, (message) => {
        if (message.kind === 'ended') {
          queue.offer(new FeedEnd(message.reason));
          queue.end();
          return;
        }
        onMessage(message, queue);
        if (queue.size > MAX_QUEUED_EVENTS || (queue.size > 0 && sink.backlogged())) sink.drop();
      }),
    );
    return queue;
  }

  const isEvent = (queued: unknown) => !(queued instanceof FeedEnd);

  return {
    interactionUpdates(authorization, guids, sink) {
      return subscriber<InteractionDto>(authorization, ['interactions'], sink, (message, queue) => {
        if (message.kind !== 'changes') return;
        for (const item of message.items) {
          if (!guids || guids.has(item.guid.toLowerCase())) queue.offer(item);
        }
      });
    },

    ongoingInteractions(authorization, limit, sink) {
      let sent: string | undefined;
      const offer = (
        page: InteractionPageDto,
        queue: SubscriberQueue<InteractionPageDto | FeedEnd>,
      ) => {
        const signature = pageSignature(page, limit);
        if (signature === sent) return;
        sent = signature;
        queue.offer(firstPage(page, limit), isEvent);
      };
      const queue = subscriber<InteractionPageDto>(
        authorization,
        ['ongoing'],
        sink,
        (message, q) => {
          if (message.kind === 'ongoing') offer(message.page, q);
        },
      );
      const latest = feeds.get(`${tokenKey(authorization)}:ongoing`)?.latest;
      if (latest) offer(latest, queue);
      return queue;
    },

    queueStatsUpdates(authorization, queueType, report, sink) {
      const endpoints = [`queue-times:${queueType}`, 'ongoing'] as const;
      const events = subscriber<QueueStatsReportModel>(
        authorization,
        endpoints,
        sink,
        (message, q) => {
          const next = report.receive(message);
          if (next) q.offer(next, isEvent);
        },
      );
      return {
        events,
        latestOngoing: feeds.get(`${tokenKey(authorization)}:ongoing`)?.latest?.items,
        begin: (start) => events.offer(report.begin(start), isEvent),
      };
    },

    async stop() {
      feeds.clear();
      await transport.stop();
    },
  };
}

/** The first `limit` items of the whole ongoing list, with its counts recomputed for `limit`. */
function firstPage(all: InteractionPageDto, limit: number): InteractionPageDto {
  const items = all.items.slice(0, limit);
  const total = all.meta.totalCount;
  return {
    meta: { page: 1, count: items.length, pageCount: Math.ceil(total / limit), totalCount: total },
    items,
    upTo: all.upTo,
  };
}
