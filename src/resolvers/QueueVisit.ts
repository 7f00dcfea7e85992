import type { QueueVisitPageResolvers, QueueVisitResolvers } from '../__generated__/resolvers.js';
import { endOf } from '../model/instants.js';
import { GUID } from './arguments.js';
import { pageCounts } from './InteractionPage.js';

// A visit's fields are upstream's, verbatim; only the derived ones and the renamed target
// have resolvers.
export const QueueVisit: QueueVisitResolvers = {
  end: (visit) => endOf(visit.start, 0, visit.duration),
  targetTimeToAnswer: (visit) => visit.targets?.targetTimeToAnswer ?? null,
  // The guid goes into an upstream path: one that is not a GUID is not looked up.
  interaction: (visit, _, ctx) => {
    const guid = visit.interactionGuid;
    if (guid == null || !GUID.test(guid)) return null;
    return ctx.loaders().interaction.load(guid);
  },
};

export const QueueVisitPage: QueueVisitPageResolvers = {
  items: (page, _, ctx) => ctx.result.serve(page.items),
  ...pageCounts,
};
