import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';

/**
 * Takes the caller's own credential out of every error message before anything logs or sends
 * it. graphql-js and the scalars quote a bad value in their messages, so a token pasted into a
 * DateTime or Int argument would otherwise reach the log and be echoed back. It runs before the
 * logging plugin (apolloServer.ts orders them) and before Apollo formats the errors.
 */
export function redactionPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const authorization = request.http?.headers.get('authorization') ?? '';
      // The credential, after its scheme if there is one; a very short one would redact plain words.
      const credential = /^(?:\S+\s+)?(\S{8,})$/.exec(authorization)?.[1];
      if (!credential) return;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes(credential)) {
              error.message = error.message.split(credential).join('[redacted]');
            }
          }
        },
      };
    },
  };
}
