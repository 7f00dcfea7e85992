import type { SubscriptionResolvers } from '../__generated__/resolvers.js';
import { FeedEnd } from '../live/liveFeeds.js';
import { LiveQueueReport } from '../live/queueReports.js';
import { UpstreamError } from '../upstream/upstreamError.js';
import { checkGuid, checkLiveStart, checkPage, checkQueues, checkRule } from './arguments.js';
import { QUEUE_TYPE } from './Query.js';

// A feed's events are upstream's objects, passed on as they are; its last event, when upstream
// refused the token, becomes the error that ends the subscription (formatError gives its code).
function event<T>(payload: T | FeedEnd): T {
  if (payload instanceof FeedEnd) {
    const status = payload.reason === 'UNAUTHORIZED' ? 401 : 403;
    throw new UpstreamError(payload.reason, `Stats API answered ${status}`, { status });
  }
  return payload;
}

// Arguments are checked before ctx.live(), so bad input never starts a poller.
export const Subscription: SubscriptionResolvers = {
  interactionUpdates: {
    subscribe(_, { guids }, ctx) {
      guids?.forEach((guid, i) => checkGuid(guid, `guids[${i}]`));
      return ctx.live().interactionUpdates(guids);
    },
    resolve: event,
  },
  ongoingInteractions: {
    subscribe(_, { limit }, ctx) {
      checkPage(1, limit);
      return ctx.live().ongoingInteractions(limit);
    },
    resolve: event,
  },
  // The report starts from the window read whole with the subscriber's own token (as
  // `queueStats` reads it), the feeds joined first so that nothing after the read is missed; a
  // failed read refuses the subscription with its error.
  queueStatsUpdates: {
    async subscribe(_, { start, queues, queueType, serviceLevel }, ctx) {
      const rule = checkRule(serviceLevel);
      const names = checkQueues(queues);
      const from = checkLiveStart(start);
      const live = ctx.live();
      const report = new LiveQueueReport({ start: from, queues: names && new Set(names), rule });
      const type = QUEUE_TYPE[queueType];
      const feed = live.queueStatsUpdates(type, report);
      try {
        const loaders = ctx.loaders();
        const params = { start: start.toISOString(), include: 'Started', queueType: type } as const;
        const [read, ongoing] = await Promise.all([
          loaders.queueTimes.all({ ...params, ...(names && { queues: names }) }),
          feed.latestOngoing ?? loaders.pages.allOngoing(),
        ]);
        feed.begin({ visits: read.visits, ongoing });
      } catch (error) {
        void feed.events.return?.();
        throw error;
      }
      return feed.events;
    },
    resolve: event,
  },
};
