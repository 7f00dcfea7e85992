import type { ApolloServerPlugin, GraphQLRequestMetrics } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import { codeOf, ErrorCode } from '../../errors.js';
import type { Logger } from '../../telemetry/logger.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { UpstreamError } from '../../upstream/upstreamError.js';

/** What became of one operation, as the log line, the metrics and the trace all tell it. */
interface OperationOutcome {
  /** Apollo's: undefined when the document never parsed, null when the operation has no name. */
  operationName: string | null | undefined;
  durationMs: number;
  /** Each code the caller was shown, once, in the order they came; empty when none was. */
  codes: string[];
  ok: boolean;
  /** What became of an automatic persisted query's hash; undefined when none was sent. */
  persistedQuery: 'hit' | 'miss' | 'register' | undefined;
}

/**
 * Times each operation and works out each error's code once (`codeOf` formats the error as the
 * client will see it), then hands the one outcome to the log line, the metrics and the trace, so
 * that the three never disagree. Also one log line per error, with the detail the client is not
 * shown (upstream status, internal stack). Never the request's headers or variables.
 */
export function operationOutcomePlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const codes = new Set<string>();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = codeOf(error);
            codes.add(code);
            logError(contextValue.logger, error, code);
          }
        },
        async willSendResponse({ operationName, metrics: request }) {
          const outcome: OperationOutcome = {
            operationName,
            durationMs: performance.now() - started,
            codes: [...codes],
            ok: codes.size === 0,
            persistedQuery: persistedQuery(request, codes),
          };
          logOutcome(contextValue, outcome);
          countOutcome(metrics, outcome);
          contextValue.trace?.end(outcome.operationName ?? null, outcome.codes);
        },
      };
    },
  };
}

function logError(logger: Logger, error: GraphQLError, code: string): void {
  const original = unwrapResolverError(error);
  const upstream =
    original instanceof UpstreamError
      ? { kind: original.kind, status: original.details.status, detail: original.message }
      : undefined;
  const level = code === ErrorCode.INTERNAL_SERVER_ERROR ? 'error' : 'warn';
  logger[level](
    { code, path: error.path?.join('.'), upstream, err: level === 'error' ? original : undefined },
    error.message,
  );
}

function logOutcome({ logger, usage }: Context, outcome: OperationOutcome): void {
  logger.info(
    {
      operationName: outcome.operationName,
      durationMs: Math.round(outcome.durationMs * 10) / 10,
      outcome: outcome.ok ? 'ok' : 'error',
      errorCodes: outcome.ok ? undefined : outcome.codes,
      upstreamCalls: usage.calls,
      upstreamRetries: usage.retries,
    },
    'operation',
  );
}

function countOutcome(metrics: Metrics, outcome: OperationOutcome): void {
  metrics.operation(
    outcome.operationName ?? null,
    outcome.ok ? 'ok' : 'error',
    outcome.durationMs / 1000,
  );
  if (outcome.persistedQuery) metrics.persistedQuery(outcome.persistedQuery);
}

function persistedQuery(
  request: GraphQLRequestMetrics,
  codes: ReadonlySet<string>,
): OperationOutcome['persistedQuery'] {
  if (request.persistedQueryHit) return 'hit';
  if (request.persistedQueryRegister) return 'register';
  if (codes.has(ErrorCode.PERSISTED_QUERY_NOT_FOUND)) return 'miss';
  return undefined;
}
