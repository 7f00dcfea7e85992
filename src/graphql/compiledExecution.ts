import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  isAbstractType,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Context } from '../context.js';
import { selectedFields } from './selections.js';

/**
 * Runs each operation as JavaScript compiled for its document (graphql-jit) rather than through
 * graphql-js's interpreter, which re-collects fields, re-reads arguments and re-checks types at
 * every field of every request. A document is compiled when it runs again and kept for as long
 * as Apollo keeps it (its document cache hands back the same object for the same query).
 * graphql-js still runs what graphql-jit cannot compile, documents that would compile too
 * slowly (see `abstractNesting`), and requests whose variables are invalid, so that those are
 * refused exactly as graphql-js words it (Apollo turns that into BAD_USER_INPUT and a 400).
 *
 * Apollo Server takes a custom executor only through its gateway interface, so the local schema
 * is served as a "gateway" that never changes.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  // A document is compiled when it runs the second time: a one-off query (or a caller sending
  // endless distinct ones) costs an interpretation, not a compilation, which takes longer.
  const compiled = new WeakMap<DocumentNode, Map<string | null, CompiledQuery | null>>();

  function compiledFor(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | null,
  ): CompiledQuery | null {
    const byName = compiled.get(document);
    if (!byName) {
      compiled.set(document, new Map());
      return null;
    }
    let query = byName.get(operationName);
    if (query === undefined) {
      const result =
        abstractNesting(schema, document, operation) <= MAX_ABSTRACT_NESTING
          ? compileQuery(schema, document, operationName ?? undefined)
          : undefined;
      query = result && isCompiledQuery(result) ? result : null;
      byName.set(operationName, query);
    }
    return query;
  }

  const executor: GatewayExecutor = async ({
    document,
    operation,
    operationName,
    request,
    context,
  }) => {
    const interpret = () =>
      execute({
        schema,
        document,
        operationName,
        contextValue: context,
        variableValues: request.variables,
      });
    // Apollo calls the executor even when the request's operationName names no operation in
    // the document (`operation` is undefined and `operationName` null, which would run the
    // document's only operation). graphql-js, given the requested name, refuses it without
    // running anything, and Apollo answers that as OPERATION_RESOLUTION_FAILURE.
    if (!operation) {
      return execute({ schema, document, operationName: request.operationName });
    }
    const query = compiledFor(document, operation, operationName);
    const compiledResult: ExecutionResult | undefined = await query?.query(
      undefined,
      context,
      request.variables,
    );
    // No data at all: the variables were refused before anything ran.
    const ran = compiledResult && 'data' in compiledResult ? compiledResult : undefined;
    if (ran?.errors) restoreFailedItems(ran);
    // An answer that went over MAX_RESULT_ITEMS is sent as its one error instead.
    const result = (context as Context).result.settle(ran ?? (await interpret()));
    if (ran && result.errors) return { ...result, errors: result.errors.map(forApollo) };
    return result;
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
}

// graphql-jit writes code for every possible type of an abstract field, so its code (and the
// time to compile it) grows tenfold with each Event nested in another Event's selection
// (`events { channel { events { ... } } }`): about 0.7 s at depth 10, seconds beyond. Documents
// nesting abstract fields deeper than this run on graphql-js instead.
const MAX_ABSTRACT_NESTING = 1;

// A router's `_entities` (FEDERATION=true) returns this union of the entity types but selects
// one of them per fragment, so it adds no code for the others: `_entities { ... on Interaction
// { events } }` compiled in 10 ms, `interactionsByGuid { events }` in 8 ms. It is not counted.
const ENTITY_UNION = '_Entity';

/** How many abstract-typed fields lie inside one another at most, through fragments too. */
function abstractNesting(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  const walk = (type: GraphQLNamedType | undefined | null, selectionSet: SelectionSetNode) => {
    let deepest = 0;
    for (const { node, definition } of selectedFields(schema, document, type, selectionSet)) {
      if (!definition || !node.selectionSet) continue;
      const named = getNamedType(definition.type);
      const own = isAbstractType(named) && named.name !== ENTITY_UNION ? 1 : 0;
      deepest = Math.max(deepest, own + walk(named, node.selectionSet));
    }
    return deepest;
  };
  return walk(schema.getRootType(operation.operation), operation.selectionSet);
}

/**
 * graphql-jit leaves a list short when its last items' promises reject before the others
 * resolve (`[ok, failed]` comes back as `[ok]`), where graphql-js answers `null` at each failed
 * index. A router matches `_entities` to its representations by index, and a client reads
 * `interactionsByGuid` so, so each failed item's `null` is put back at the path of its error.
 */
function restoreFailedItems({ data, errors = [] }: ExecutionResult): void {
  for (const { path = [] } of errors) {
    const index = path.at(-1);
    if (typeof index !== 'number') continue;
    let list: unknown = data;
    for (const key of path.slice(0, -1)) {
      list =
        list && typeof list === 'object'
          ? (list as Record<string | number, unknown>)[key]
          : undefined;
    }
    if (Array.isArray(list)) while (list.length <= index) list.push(null);
  }
}

/**
 * graphql-jit's errors have read-only properties and may lack `extensions`, which Apollo's error
 * handling reads unguarded (and the redaction plugin rewrites the message). The object returned
 * inherits everything else from the error, so its path and original error stay as they were.
 */
function forApollo(error: GraphQLError): GraphQLError {
  return Object.create(error, {
    message: { value: error.message, writable: true, enumerable: true },
    extensions: { value: error.extensions ?? {}, writable: true, enumerable: true },
  }) as GraphQLError;
}
