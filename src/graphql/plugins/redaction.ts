import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';

/**
 * Takes the caller's own credential out of every error message before anything logs or sends
 * it. graphql-js and the scalars quote a bad value in their messages, so a token pasted into a
 * DateTime or Int argument would otherwise reach the log and be echoed back. It runs before the
 * outcome plugin logs them (apolloServer.ts orders the plugins) and before Apollo formats them.
 */
export function redactionPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const redact = redactor(request.http?.headers.get('authorization'));
      if (!redact) return;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const message = redact(error.message);
            if (message !== error.message) error.message = message;
          }
        },
      };
    },
  };
}

/** Takes `authorization`'s credential out of a text; `undefined` when there is none to take. */
export function redactor(
  authorization: string | undefined,
): ((text: string) => string) | undefined {
  // The credential, after its scheme if there is one; a very short one would redact plain words.
  const credential = /^(?:\S+\s+)?(\S{8,})$/.exec(authorization?.trim() ?? '')?.[1];
  if (!credential) return undefined;
  return (text) => (text.includes(credential) ? text.split(credential).join('[redacted]') : text);
}
