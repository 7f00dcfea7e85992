import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { RequestLimits } from '../../config.js';
import type { Context } from '../../context.js';
import { ErrorCode } from '../../errors.js';
import { selectedFields } from '../selections.js';

// Limits on what one request may ask for, checked before anything is executed, so that one
// request cannot fan out into thousands of Stats API calls or tie up the CPU. Each error names
// its environment variable. The token limit is graphql-js's own parse option (apolloServer.ts),
// and the body limit is HTTP's (http/httpServer.ts).

/**
 * Depth and alias limits as validation rules: Apollo caches a validated document, so a repeated
 * query pays for them once. graphql-armor's rules report through our callback, not by throwing
 * (a throw inside validate() would be a 500).
 */
export function limitRules(limits: RequestLimits): ValidationRule[] {
  const report = (variable: string) => (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
    context?.reportError(
      new GraphQLError(`${message} (${variable}).`, { extensions: { limit: variable } }),
    );
  };
  return [
    maxDepthRule({
      n: limits.depth,
      // Depth is what the selection nests, not how it is spelled: a fragment adds no level.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [report('MAX_QUERY_DEPTH')],
    }),
    maxAliasesRule({
      n: limits.aliases,
      propagateOnRejection: false,
      onReject: [report('MAX_ALIASES')],
    }),
  ];
}

/**
 * MAX_GUIDS, over all `interaction`, `interactionsByGuid`, `interactionUpdates` and `_entities`
 * fields of the operation. It needs the variables, so it runs once the operation is known rather
 * than as a validation rule.
 */
export function guidLimitPlugin(max: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request }) {
          if (!operation) return;
          const error = guidLimitError(schema, document, operation, request.variables, max);
          if (error) throw error;
        },
      };
    },
  };
}

/** The MAX_GUIDS error for an operation naming too many guids; `undefined` when it is within. */
export function guidLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  given: Record<string, unknown> | undefined,
  max: number,
): GraphQLError | undefined {
  const count = countGuids(schema, document, operation, variableValues(operation, given));
  if (count <= max) return undefined;
  return new GraphQLError(
    `The operation asks for ${count} guids; MAX_GUIDS allows ${max} per operation.`,
    { extensions: { code: ErrorCode.BAD_USER_INPUT, limit: 'MAX_GUIDS', http: { status: 400 } } },
  );
}

/** A variable's value as given, or its default (still a syntax node) when it was not given. */
function variableValues(
  operation: OperationDefinitionNode,
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    values[name] = given && name in given ? given[name] : definition.defaultValue;
  }
  return values;
}

// Root fields taking a list of guids, and its argument: a router's `_entities` (FEDERATION=true)
// names one interaction per representation.
const GUID_LISTS = new Map([
  ['interactionsByGuid', 'guids'],
  ['interactionUpdates', 'guids'],
  ['_entities', 'representations'],
]);

// Counts what the root fields name, before deduplication: an upper bound of the upstream calls.
function countGuids(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  let count = 0;
  const root = schema.getRootType(operation.operation);
  for (const { node } of selectedFields(schema, document, root, operation.selectionSet)) {
    if (node.name.value === 'interaction') {
      count += 1;
    } else if (GUID_LISTS.has(node.name.value)) {
      const list = GUID_LISTS.get(node.name.value);
      const guids = node.arguments?.find((argument) => argument.name.value === list);
      count += guids ? listLength(guids.value, variables) : 0;
    }
  }
  return count;
}

function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    if (isValueNode(given)) return listLength(given, variables);
    return Array.isArray(given) ? given.length : given == null ? 0 : 1;
  }
  return 1; // a single value is coerced to a list of one
}

function isValueNode(value: unknown): value is ValueNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}
