import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { unauthenticated } from './errors.js';
import { createInteractionLoader, type InteractionLoader } from './loaders/interactionLoader.js';
import { InteractionPages } from './loaders/interactionPages.js';
import type { Logger } from './logger.js';
import type { StatsClient } from './upstream/statsClient.js';

export interface Loaders {
  interaction: InteractionLoader;
  pages: InteractionPages;
}

export interface Context {
  requestId: string;
  logger: Logger;
  /**
   * This operation's loaders, bound to the caller's token. Throws UNAUTHENTICATED when the
   * request has no `Authorization` header, so that no upstream call is made without one.
   */
  loaders(): Loaders;
}

export interface ContextDeps {
  client: StatsClient;
  logger: Logger;
  upstreamConcurrency: number;
}

// Only ids a log line can carry safely are taken from the caller; anything else is replaced.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createContext(deps: ContextDeps, req: IncomingMessage): Context {
  const incoming = req.headers['x-request-id'];
  const requestId =
    typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  // Forwarded verbatim; Node has already dropped the surrounding whitespace HTTP allows.
  const authorization = req.headers.authorization;
  let loaders: Loaders | undefined;
  return {
    requestId,
    logger: deps.logger.child({ requestId }),
    loaders() {
      if (!authorization) throw unauthenticated();
      if (!loaders) {
        const caller = { authorization };
        const pages = new InteractionPages(deps.client, caller);
        const interaction = createInteractionLoader(
          deps.client,
          caller,
          deps.upstreamConcurrency,
          pages,
        );
        loaders = { interaction, pages };
      }
      return loaders;
    },
  };
}
