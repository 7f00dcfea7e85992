import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from './config.js';
import { createContext } from './context.js';
import { createHttpServer, GRAPHQL_PATH } from './http/httpServer.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics } from './telemetry/metrics.js';
import { loadManifest } from './http/allowlist.js';
import { persistedQueryStore } from './graphql/persistedQueries.js';
import { createTracing } from './telemetry/tracing.js';
import { createServer } from './graphql/apolloServer.js';
import { createStatsClient } from './upstream/statsClient.js';
import { createSchema } from './graphql/schema.js';
import { attachSocketServer } from './http/socketServer.js';
import { browserApps } from './http/browserApps.js';
import { startLive } from './live/liveService.js';

export interface Gateway {
  /** The GraphQL endpoint, for example `http://localhost:4000/graphql`. */
  url: string;
  /** The wallboard's address when it is served (WALLBOARD, demo mode), for the banner. */
  wallboardUrl: string | undefined;
  httpServer: http.Server;
  /**
   * Graceful stop: /readyz fails for SHUTDOWN_DELAY_MS while requests are still served (a load
   * balancer polling it stops sending any), then the listener closes and in-flight operations
   * get SHUTDOWN_GRACE_MS to finish before their connections are cut. Once HTTP has drained,
   * WebSockets are closed with 1001 (going away) and the live pollers stop; then Apollo stops
   * and the upstream connections close.
   */
  stop(): Promise<void>;
}

/** Sandbox prefills for demo mode. */
export interface SandboxPrefill {
  sandboxHeaders: Record<string, string>;
  sandboxVariables: Record<string, unknown>;
  /** Sandbox opens on a live subscription. */
  sandboxLive: boolean;
}

/** What the process adds when it runs the gateway itself (main.ts); tests leave both out. */
export interface ProcessParts {
  sandbox?: SandboxPrefill;
  /** Demo mode's token, filled in on the wallboard's sign-in form. */
  demoToken?: string;
  /** The count of log lines dropped on a stalled stdout, for /metrics. */
  logLinesDropped?: () => number;
}

/** Wires client, Apollo and HTTP together and listens; `main.ts` and the tests both use it. */
export async function startGateway(
  config: Config & { statsApiUrl: string },
  logger: Logger,
  { sandbox, demoToken, logLinesDropped }: ProcessParts = {},
): Promise<Gateway> {
  // Read at each scrape, by which time the client below exists.
  const metrics = createMetrics({ logLinesDropped, tokenWindows: () => client.tokenWindows() });
  const client = createStatsClient({
    baseUrl: config.statsApiUrl,
    ...config.upstream,
    observe: (endpoint, status, seconds) => metrics.upstream(endpoint, status, seconds),
    onShared: (result) => metrics.sharedAnswer(result),
    onWindowDecrease: (from, to) => {
      metrics.windowDecrease();
      logger.info({ from, to }, "upstream pushed back: a token's request window halved");
    },
  });
  const allowlist =
    config.persistedOperationsManifest === undefined
      ? undefined
      : loadManifest(config.persistedOperationsManifest);
  const persisted = await persistedQueryStore(
    {
      url: config.redisUrl,
      timeoutMs: config.redisTimeoutMs,
      onDropped: () => metrics.persistedQuery('dropped'),
    },
    logger,
  );
  const schema = createSchema({ federation: config.federation });
  const apps = browserApps(config, demoToken, logger);
  const apollo = createServer({
    schema,
    metrics,
    persistedQueries: persisted.cache,
    limits: config.limits,
    introspection: config.introspection,
    landingPage: config.landingPage,
    graphiqlPage: apps.graphiql?.page,
    ...sandbox,
  });
  await apollo.start();
  let ready = true;
  const tracing = await createTracing(config.otelEndpoint);
  const deps = {
    client,
    logger,
    metrics,
    tracing,
    maxResultItems: config.limits.resultItems,
    maxQueueVisits: config.limits.queueStatsVisits,
  };
  const live = await startLive({
    client,
    pollMs: config.live.pollMs,
    redisUrl: config.redisUrl,
    logger,
    metrics: metrics.live,
  });
  const {
    server: httpServer,
    abortOperations,
    drained,
  } = createHttpServer({
    apollo,
    context: (req, scope) => {
      // Repeated, a traceparent is invalid (W3C Trace Context): the operation's trace is its own.
      const { traceparent } = req.headers;
      const caller = typeof traceparent === 'string' ? traceparent : undefined;
      return createContext(deps, req.headers.authorization, { ...scope, traceparent: caller });
    },
    maxBodyBytes: config.limits.bodyBytes,
    operationTimeoutMs: config.operationTimeoutMs,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
    corsOrigins: config.corsOrigins,
    metrics: metrics.registry,
    allowlist,
    sites: apps.sites,
    isReady: () => ready,
    compression: config.compression,
  });
  const sockets = attachSocketServer({
    httpServer,
    schema,
    feeds: live.feeds,
    live: config.live,
    limits: config.limits,
    compression: config.compression,
    operationTimeoutMs: config.operationTimeoutMs,
    corsOrigins: config.corsOrigins,
    allowlist,
    logger,
    metrics: metrics.live,
    context: (authorization, scope, liveScope) =>
      createContext(deps, authorization, scope, liveScope),
  });
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    wallboardUrl: apps.wallboard && `http://localhost:${port}${apps.wallboard.path}`,
    httpServer,
    async stop() {
      ready = false;
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const cut = setTimeout(() => {
        abortOperations();
        httpServer.closeAllConnections();
      }, config.shutdownGraceMs);
      await drained();
      clearTimeout(cut);
      // Every connection is closed, but Node may not yet have told their operations so: end
      // them as abandoned now, rather than have closing the client fail them as unavailable.
      abortOperations();
      // HTTP has drained: now the WebSockets go (1001), and with them the live feeds.
      await sockets.close();
      await live.stop();
      await closed;
      await apollo.stop();
      await client.close();
      await persisted.close();
      await tracing?.shutdown();
    },
  };
}
