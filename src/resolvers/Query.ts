import type { InteractionInclude, QueryResolvers, QueueType } from '../__generated__/resolvers.js';
import type { Context } from '../context.js';
import { QueueStatsLedger } from '../model/queueStats.js';
import { waitingCalls } from '../model/waiting.js';
import type { IncludeDto, InteractionDto, QueueTypeDto } from '../upstream/types.js';
import { checkGuid, checkPage, checkQueues, checkRule, checkWindow } from './arguments.js';

const INCLUDE: Record<InteractionInclude, IncludeDto> = {
  STARTED: 'Started',
  STARTED_OR_ENDED: 'StartedOrEnded',
  PROCESSED: 'Processed',
};

export const QUEUE_TYPE: Record<QueueType, QueueTypeDto> = { ACD: 'ACD', VIRTUAL: 'Virtual' };

/** Upstream's `upTo` as the end of a window reaching now; the gateway's clock without one. */
function endAt(upTo: string | undefined): Date {
  const time = Date.parse(upTo ?? '');
  return new Date(Number.isNaN(time) ? Date.now() : time);
}

// The schema lets a completed interaction be cached for minutes; one still in progress, or not
// found yet, changes every few seconds (upstream itself says max-age=5).
const CHANGING_MAX_AGE = 5;

// Lowers the cache age for an interaction that may still change, and counts a found one into
// the answer (MAX_RESULT_ITEMS).
function served(ctx: Context) {
  return (found: InteractionDto | null) => {
    if (found?.status !== 'Completed') ctx.limitCacheAge(CHANGING_MAX_AGE);
    if (found) ctx.result.serve([found]);
    return found;
  };
}

// Arguments are checked before ctx.loaders(), so bad input never costs an upstream call.
export const Query: QueryResolvers = {
  interaction(_, { guid }, ctx) {
    checkGuid(guid, 'guid');
    return ctx.loaders().interaction.load(guid).then(served(ctx));
  },

  // One promise per entry, so a failed guid is an error at its own index and the rest resolve.
  // The cast: codegen's list-item type has no Promise<T | null>, which graphql-js accepts for
  // a nullable item such as this one.
  interactionsByGuid(_, { guids }, ctx) {
    guids.forEach((guid, i) => checkGuid(guid, `guids[${i}]`));
    const { interaction } = ctx.loaders();
    return guids.map((guid) => interaction.load(guid).then(served(ctx)) as Promise<InteractionDto>);
  },

  interactions(_, { start, end, include, page, limit }, ctx) {
    const paging = checkPage(page, limit);
    const window = checkWindow(start, end);
    return ctx.loaders().pages.window({ ...window, ...paging, include: INCLUDE[include] });
  },

  ongoingInteractions(_, { page, limit }, ctx) {
    return ctx.loaders().pages.ongoing(checkPage(page, limit));
  },

  queueVisits(_, { start, end, include, queues, queueType, page, limit }, ctx) {
    const paging = checkPage(page, limit);
    const window = checkWindow(start, end);
    const names = checkQueues(queues);
    return ctx.loaders().queueTimes.page({
      ...window,
      ...paging,
      include: INCLUDE[include],
      ...(names && { queues: names }),
      queueType: QUEUE_TYPE[queueType],
    });
  },

  // Every visit of the window, and with `end` omitted the calls in progress, read concurrently;
  // the figures are computed once all of them are in (model/queueStats.ts).
  async queueStats(_, { start, end, queues, queueType, serviceLevel }, ctx) {
    const rule = checkRule(serviceLevel);
    const window = checkWindow(start, end);
    const names = checkQueues(queues);
    const loaders = ctx.loaders();
    const params = {
      ...window,
      include: 'Started',
      ...(names && { queues: names }),
      queueType: QUEUE_TYPE[queueType],
    } as const;
    const [read, ongoing] = await Promise.all([
      loaders.queueTimes.all(params),
      end ? undefined : loaders.pages.allOngoing(),
    ]);
    const ledger = new QueueStatsLedger(rule, start.getTime(), end?.getTime());
    ledger.add(read.visits);
    const waiting = ongoing && waitingCalls(ongoing, names && new Set(names));
    return ledger.report(end ?? endAt(read.upTo), waiting);
  },
};
