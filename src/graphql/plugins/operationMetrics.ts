import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import type { Metrics } from '../../telemetry/metrics.js';

/**
 * Counts and times every operation that gets an answer, by operation name and outcome, and
 * counts automatic persisted queries by what became of their hash.
 */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let failed = false;
      let missed = false;
      return {
        async didEncounterErrors({ errors }) {
          failed = true;
          missed = errors.some((e) => e.extensions?.code === ErrorCode.PERSISTED_QUERY_NOT_FOUND);
        },
        async willSendResponse({ operationName, metrics: request }) {
          const seconds = (performance.now() - started) / 1000;
          metrics.operation(operationName ?? null, failed ? 'error' : 'ok', seconds);
          if (request.persistedQueryHit) metrics.persistedQuery('hit');
          else if (request.persistedQueryRegister) metrics.persistedQuery('register');
          else if (missed) metrics.persistedQuery('miss');
        },
      };
    },
  };
}
