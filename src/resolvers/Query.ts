import type { InteractionInclude, QueryResolvers } from '../__generated__/resolvers.js';
import type { IncludeDto, InteractionDto } from '../upstream/types.js';
import { checkGuid, checkPage, checkWindow } from './arguments.js';

const INCLUDE: Record<InteractionInclude, IncludeDto> = {
  STARTED: 'Started',
  STARTED_OR_ENDED: 'StartedOrEnded',
  PROCESSED: 'Processed',
};

// Arguments are checked before ctx.loaders(), so bad input never costs an upstream call.
export const Query: QueryResolvers = {
  interaction(_, { guid }, ctx) {
    checkGuid(guid, 'guid');
    return ctx.loaders().interaction.load(guid);
  },

  // One promise per entry, so a failed guid is an error at its own index and the rest resolve.
  // The cast: codegen's list-item type has no Promise<T | null>, which graphql-js accepts for
  // a nullable item such as this one.
  interactionsByGuid(_, { guids }, ctx) {
    guids.forEach((guid, i) => checkGuid(guid, `guids[${i}]`));
    const { interaction } = ctx.loaders();
    return guids.map((guid) => interaction.load(guid) as Promise<InteractionDto>);
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
