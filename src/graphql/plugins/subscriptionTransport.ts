import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors.js';

/** Subscriptions over HTTP are refused up front, saying where they run instead. */
export function subscriptionTransportPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions run over WebSocket (graphql-transport-ws) at this URL, with ws:// or wss://.',
            { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
