import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';
import { codeOf } from '../../errors.js';

/** Ends each traced operation's span with its name and the error codes its caller saw. */
export function tracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.trace) return;
      const codes = new Set<string>();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) codes.add(codeOf(error));
        },
        async willSendResponse({ operationName }) {
          contextValue.trace?.end(operationName ?? null, [...codes]);
        },
      };
    },
  };
}
