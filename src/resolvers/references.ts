import type { Context } from '../context.js';
import type { InteractionDto } from '../upstream/types.js';
import { checkGuid } from './arguments.js';
import { served } from './Query.js';

/**
 * Entities a router may ask this subgraph for by key (FEDERATION=true, schema/federation/). An
 * Interaction goes through the operation's guid loader like `interactionsByGuid`, so an
 * `_entities` call with N representations costs one Stats API call per distinct guid; `null`
 * when the guid is unknown, and a failure is an error on that representation's path only.
 */
export const references = {
  Interaction: {
    __resolveReference(
      reference: { guid?: unknown },
      ctx: Context,
    ): Promise<InteractionDto | null> {
      // The representation comes from the router as JSON: checked like a guid argument, so a
      // malformed one never reaches an upstream URL.
      const guid = checkGuid(
        typeof reference.guid === 'string' ? reference.guid : '',
        'representations.guid',
      );
      return ctx.loaders().interaction.load(guid).then(served(ctx));
    },
  },
};
