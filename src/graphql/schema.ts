import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/resolverMap.js';

// schema/ sits beside src/ and dist/, so the same relative URL works from src/graphql/ and dist/graphql/.
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The public contract: every schema/*.graphql file, in name order. */
export function loadTypeDefs(): string {
  return readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8'))
    .join('\n');
}

/** The executable schema, built once and served over HTTP (Apollo) and WebSocket alike. */
export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
