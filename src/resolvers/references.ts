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
      // Without a token nothing can be resolved: this throws, and `_entities` fails as a whole.
      const { interaction } = ctx.loaders();
      // A representation is the router's JSON, checked like a guid argument so that a malformed
      // one never reaches an upstream URL; rejected, not thrown, so it fails its own entry only.
      return Promise.resolve(reference.guid)
        .then((guid) => checkGuid(typeof guid === 'string' ? guid : '', 'representations.guid'))
        .then((guid) => interaction.load(guid))
        .then(served(ctx));
    },
  },
};
