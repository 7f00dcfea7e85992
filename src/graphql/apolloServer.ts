import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { GraphQLSchema } from 'graphql';
import type { LandingPage, RequestLimits } from '../config.js';
import type { Context } from '../context.js';
import { formatError } from '../errors.js';
import { compiledExecution } from './compiledExecution.js';
import { knownOperationTypesRule } from './knownOperationTypes.js';
import type { Metrics } from '../telemetry/metrics.js';
import { cacheControlPlugin } from './plugins/cacheControl.js';
import { graphiqlLandingPage } from './plugins/graphiql.js';
import { guidLimitPlugin, limitRules } from './plugins/limits.js';
import { operationOutcomePlugin } from './plugins/operationOutcome.js';
import { redactionPlugin } from './plugins/redaction.js';
import { subscriptionTransportPlugin } from './plugins/subscriptionTransport.js';

const EXAMPLE_OPERATION = `query Interaction($guid: ID!) {
  interaction(guid: $guid) {
    guid status direction start duration serviceName
    channels {
      party { role id touchpoint }
      events {
        __typename type name offset duration
        ... on QueueEvent { presentedSkills result }
      }
    }
  }
}`;

// Demo mode opens Sandbox on the demo's queues and calls as they happen (the stand-in moves
// with time): a queue wallboard's KPIs, then the calls in progress.
const QUEUE_WALLBOARD_OPERATION = `subscription QueueWallboard($since: DateTime!) {
  queueStatsUpdates(start: $since, serviceLevel: { targetTimeToAnswer: 20000 }) {
    end
    total { offered answered abandoned serviceLevel waiting longestWaiting }
    queues {
      queue offered answered answeredWithinTarget abandoned breakouts
      serviceLevel abandonmentRate averageSpeedOfAnswer longestWait waiting longestWaiting
    }
  }
}`;

const LIVE_OPERATION = `subscription LiveWallboard {
  ongoingInteractions(limit: 20) {
    totalCount
    items {
      guid start serviceName
      metrics { queueTime }
      channels { party { role id } }
    }
  }
}`;

export interface ServerOptions {
  schema: GraphQLSchema;
  limits: RequestLimits;
  introspection: boolean;
  landingPage: LandingPage;
  /** GraphiQL's page as built (dist/graphiql/index.html): required with LANDING_PAGE=graphiql. */
  graphiqlPage?: string;
  metrics: Metrics;
  /** Where automatic persisted queries are kept (see persistedQueries.ts). */
  persistedQueries: KeyValueCache<string>;
  /** Prefilled in Sandbox or GraphiQL: the demo token in demo mode, nothing otherwise. */
  sandboxHeaders?: Record<string, string>;
  sandboxVariables?: Record<string, unknown>;
  /** Sandbox opens on a live subscription, the example query below it (demo mode). */
  sandboxLive?: boolean;
}

/**
 * Builds the Apollo Server; it never listens itself (see http/httpServer.ts), so tests reuse it
 * as is.
 */
export function createServer(options: ServerOptions): ApolloServer<Context> {
  const { schema } = options;
  return new ApolloServer<Context>({
    gateway: compiledExecution(schema),
    formatError,
    persistedQueries: { cache: options.persistedQueries },
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection,
    parseOptions: { maxTokens: options.limits.tokens },
    validationRules: [knownOperationTypesRule, ...limitRules(options.limits)],
    // CSRF prevention is Apollo's default and stays on: see docs/clients.md, "CSRF prevention".
    // main.ts owns SIGTERM/SIGINT: it drains HTTP first, then stops Apollo, then exits.
    stopOnTerminationSignals: false,
    plugins: [
      redactionPlugin(), // first: the others see messages without the caller's token
      operationOutcomePlugin(options.metrics),
      cacheControlPlugin(schema),
      guidLimitPlugin(options.limits.guids),
      subscriptionTransportPlugin(),
      landingPage(options),
      // Replaced by plugins/cacheControl.ts, which reads the same hints once per document;
      // Apollo's wraps every field resolver: about 5% of the CPU per operation, measured.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo turns on federated (ftv1) tracing for a subgraph schema (FEDERATION=true): it too
      // wraps every field resolver, for Apollo's own reporting; traces go out over OTLP instead.
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
}

function landingPage(options: ServerOptions): ApolloServerPlugin<Context> {
  if (options.landingPage === 'off') return ApolloServerPluginLandingPageDisabled();
  const prefill = {
    document: options.sandboxLive
      ? [QUEUE_WALLBOARD_OPERATION, LIVE_OPERATION, EXAMPLE_OPERATION].join('\n\n')
      : EXAMPLE_OPERATION,
    variables: options.sandboxVariables,
    headers: options.sandboxHeaders,
  };
  if (options.landingPage === 'graphiql') {
    // http/browserApps.ts has stopped the boot already if GraphiQL is not built.
    return graphiqlLandingPage(options.graphiqlPage as string, prefill);
  }
  return ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    includeCookies: false,
    ...prefill,
  });
}
