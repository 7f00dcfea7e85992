import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import type { Metrics } from '../metrics.js';

/** Counts and times every operation that gets an answer, by operation name and outcome. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let failed = false;
      return {
        async didEncounterErrors() {
          failed = true;
        },
        async willSendResponse({ operationName }) {
          const seconds = (performance.now() - started) / 1000;
          metrics.operation(operationName ?? null, failed ? 'error' : 'ok', seconds);
        },
      };
    },
  };
}
