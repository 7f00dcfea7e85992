import type { SubscriptionResolvers } from '../__generated__/resolvers.js';
import { FeedEnd } from '../live/liveFeeds.js';
import { UpstreamError } from '../upstream/upstreamError.js';
import { checkGuid, checkPage } from './arguments.js';

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
};
