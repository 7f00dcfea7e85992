import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createContext } from './context.js';
import { createHttpServer, GRAPHQL_PATH } from './http.js';
import type { Logger } from './logger.js';
import { createServer, type ServerOptions } from './server.js';
import { createStatsClient } from './upstream/statsClient.js';

export interface Gateway {
  /** The GraphQL endpoint, for example `http://localhost:4000/graphql`. */
  url: string;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/** Wires client, Apollo and HTTP together and listens; `index.ts` and the tests both use it. */
export async function startGateway(
  config: Config & { statsApiUrl: string },
  logger: Logger,
  options: ServerOptions = {},
): Promise<Gateway> {
  const client = createStatsClient({
    baseUrl: config.statsApiUrl,
    timeoutMs: config.upstreamTimeoutMs,
  });
  const apollo = createServer(options);
  await apollo.start();
  const deps = { client, logger, upstreamConcurrency: config.upstreamConcurrency };
  const httpServer = createHttpServer({ apollo, context: (req) => createContext(deps, req) });
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    httpServer,
    async stop() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
      client.close();
    },
  };
}
