import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createSchema } from '../../dist/graphql/schema.js';

// `npm run --silent supergraph > supergraph.graphql`: the gateway's subgraph SDL (as
// FEDERATION=true serves it at `_service`) composed with the example agent directory beside
// this file, for a router to serve (docs/federation.md). The subgraphs' URLs come from
// STATS_GATEWAY_URL and AGENTS_URL.
const subgraphs = [
  {
    name: 'stats',
    url: process.env.STATS_GATEWAY_URL ?? 'http://localhost:4000/graphql',
    typeDefs: parse(printSubgraphSchema(createSchema({ federation: true }))),
  },
  {
    name: 'agents',
    url: process.env.AGENTS_URL ?? 'http://localhost:4001/graphql',
    typeDefs: parse(readFileSync(new URL('agents.graphql', import.meta.url), 'utf8')),
  },
];
const result = composeServices(subgraphs);
if (result.errors) {
  for (const error of result.errors) process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
