import type { QueryResolvers } from '../__generated__/resolvers.js';
import type { InteractionDto } from '../upstream/types.js';
import { checkGuid } from './arguments.js';

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
};
