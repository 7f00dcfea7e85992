import type { InteractionInclude, QueryResolvers } from '../__generated__/resolvers.js';
import type { Context } from '../context.js';
import type { IncludeDto, InteractionDto } from '../upstream/types.js';
import { checkGuid, checkPage, checkWindow } from './arguments.js';

const INCLUDE: Record<InteractionInclude, IncludeDto> = {
  STARTED: 'Started',
  STARTED_OR_ENDED: 'StartedOrEnded',
  PROCESSED: 'Processed',
};

// The schema lets a completed interaction be cached for minutes; one still in progress, or not
// found yet, changes every few seconds (upstream itself says max-age=5).
const CHANGING_MAX_AGE = 5;

// Lowers the cache age for an interaction that may still change, and counts a found one into
// the answer (MAX_RESULT_ITEMS).
export function served(ctx: Context) {
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
};
