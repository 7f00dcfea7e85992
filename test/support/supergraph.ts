import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { graphql, parse } from 'graphql';
import { postGraphQL, type GraphQLResponse } from './harness.js';

/** The example agent directory's schema (examples/federation/), which `npm run supergraph` uses. */
export const AGENTS_SDL = readFileSync(
  new URL('../../examples/federation/agents.graphql', import.meta.url),
  'utf8',
);

export interface Agent {
  name: string;
  team: string | null;
  /** Guids, sent to the router as Interaction references. */
  recentInteractions: string[];
}

export interface Subgraph {
  url: string;
  /** The headers of every request it received. */
  requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * A second subgraph over a real socket: the example agent directory, answering `Party.agent`
 * from `agents` by the party's id.
 */
export async function startAgentDirectory(agents: Record<string, Agent>): Promise<Subgraph> {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(AGENTS_SDL),
      resolvers: {
        Query: { agents: () => Object.values(agents) },
        Party: {
          __resolveReference: (party: { id: string | null }) => party,
          agent: (party: { id: string | null }) => (party.id && agents[party.id]) ?? null,
        },
        Agent: {
          recentInteractions: (agent: Agent) => agent.recentInteractions.map((guid) => ({ guid })),
        },
      },
    },
  ]);
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      void graphql({ schema, source: body.query, variableValues: body.variables }).then(
        (result) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(result));
        },
      );
    });
  });
  return { ...(await listen(server)), requests };
}

/** Composes subgraphs into a supergraph, failing with every composition error. */
export function composeSupergraph(subgraphs: { name: string; url: string; sdl: string }[]): string {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}

export interface Router {
  url: string;
  query(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

/**
 * Hive Gateway serving a supergraph on a loopback port, forwarding the client's `Authorization`
 * to every subgraph (as a router in front of the gateway is configured to: docs/federation.md).
 */
export async function startRouter(supergraph: string): Promise<Router> {
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  const { url, close } = await listen(createServer(runtime));
  return {
    url,
    query: (query, variables, headers = {}) => postGraphQL(url, query, variables, headers),
    async close() {
      await close();
      await runtime.dispose();
    },
  };
}

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
