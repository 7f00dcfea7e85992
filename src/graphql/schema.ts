import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { references } from '../resolvers/references.js';
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

/** The contract with what FEDERATION=true adds to it: the `@link` and the entity keys. */
function loadSubgraphTypeDefs(): string {
  return `${loadTypeDefs()}\n${readFileSync(new URL('federation/subgraph.graphql', SCHEMA_DIR), 'utf8')}`;
}

// The array form's module type, which @apollo/subgraph does not export by name.
type SubgraphModule = Extract<
  Extract<Parameters<typeof buildSubgraphSchema>[0], unknown[]>[number],
  { typeDefs: unknown }
>;

/**
 * The executable schema, built once and served over HTTP (Apollo) and WebSocket alike. As a
 * Federation 2 subgraph it also has `_service` and `_entities`, and resolves an Interaction by
 * its guid (resolvers/references.ts).
 */
export function createSchema({ federation = false }: { federation?: boolean } = {}): GraphQLSchema {
  if (!federation) return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
  const subgraph: SubgraphModule = {
    typeDefs: parse(loadSubgraphTypeDefs()),
    // The generated Resolvers type and @apollo/subgraph's map describe the same objects.
    resolvers: {
      ...resolvers,
      Interaction: { ...resolvers.Interaction, ...references.Interaction },
    } as SubgraphModule['resolvers'],
  };
  return buildSubgraphSchema([subgraph]);
}
