import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Context } from '../../context.js';
import { codeOf } from '../../errors.js';
import { UpstreamError } from '../../upstream/upstreamError.js';

/**
 * One log line per operation (with the Stats API attempts it made), and one per error with the detail the client is not shown
 * (upstream status, internal stack). Never the request's headers or variables.
 */
export function loggingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const codes: string[] = [];
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = codeOf(error);
            codes.push(code);
            const original = unwrapResolverError(error);
            const upstream =
              original instanceof UpstreamError
                ? { kind: original.kind, status: original.details.status, detail: original.message }
                : undefined;
            const level = code === 'INTERNAL_SERVER_ERROR' ? 'error' : 'warn';
            contextValue.logger[level](
              {
                code,
                path: error.path?.join('.'),
                upstream,
                err: level === 'error' ? original : undefined,
              },
              error.message,
            );
          }
        },
        async willSendResponse({ operationName }) {
          contextValue.logger.info(
            {
              operationName,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              outcome: codes.length === 0 ? 'ok' : 'error',
              errorCodes: codes.length === 0 ? undefined : [...new Set(codes)],
              upstreamCalls: contextValue.usage.calls,
              upstreamRetries: contextValue.usage.retries,
            },
            'operation',
          );
        },
      };
    },
  };
}
