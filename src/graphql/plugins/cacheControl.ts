import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isCompositeType,
  Kind,
  type ASTNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from '../../context.js';
import { selectedFields } from '../selections.js';

/**
 * Each answer's `Cache-Control`, from the schema's `@cacheControl` hints (schema/cacheControl.graphql)
 * and the operation's own dynamic limit (`Context.limitCacheAge`, for interactions still in
 * progress). The hints are read once per document, not per resolved field as Apollo's own
 * cache-control plugin does: that one wraps every resolver, about 5% of the CPU per operation.
 * Answers with errors, and operations with no hint at all, are `no-store`.
 */
export function cacheControlPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  const byDocument = new WeakMap<DocumentNode, Map<string | null, number>>();
  const staticMaxAge = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let byName = byDocument.get(document);
    if (!byName) {
      byName = new Map();
      byDocument.set(document, byName);
    }
    const name = operation.name?.value ?? null;
    let maxAge = byName.get(name);
    if (maxAge === undefined) {
      maxAge = documentMaxAge(schema, document, operation);
      byName.set(name, maxAge);
    }
    return maxAge;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ document, operation, response, contextValue }) {
          const body = response.body;
          const answered = body.kind === 'single' && !body.singleResult.errors;
          const maxAge =
            answered && document && operation
              ? Math.min(staticMaxAge(document, operation), contextValue.cacheAge())
              : 0;
          response.http.headers.set(
            'cache-control',
            maxAge > 0 && Number.isFinite(maxAge) ? `max-age=${maxAge}, private` : 'no-store',
          );
        },
      };
    },
  };
}

interface Hint {
  maxAge?: number;
  inheritMaxAge?: boolean;
}

function hintOf(node: ASTNode | null | undefined): Hint | undefined {
  const directives = node && 'directives' in node ? node.directives : undefined;
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: Hint = {};
  for (const argument of directive.arguments ?? []) {
    if (argument.name.value === 'maxAge' && argument.value.kind === Kind.INT) {
      hint.maxAge = Number(argument.value.value);
    } else if (argument.name.value === 'inheritMaxAge' && argument.value.kind === Kind.BOOLEAN) {
      hint.inheritMaxAge = argument.value.value;
    }
  }
  return hint;
}

/**
 * The smallest `maxAge` among the fields an operation selects, as Apollo's rules have it: a
 * field's own hint, else its composite type's (or its parent's, with `inheritMaxAge`), else 0
 * for a root field or a composite type; scalar fields do not lower it. Introspection is 0.
 */
function documentMaxAge(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  const root = schema.getRootType(operation.operation);
  const walk = (
    type: GraphQLNamedType | null | undefined,
    selectionSet: SelectionSetNode,
    inherited: number,
  ): number => {
    let smallest = Infinity;
    for (const { node, definition } of selectedFields(schema, document, type, selectionSet)) {
      if (node.name.value.startsWith('__')) {
        if (node.name.value === '__typename') continue;
        return 0; // introspection
      }
      if (!definition) continue;
      const named = getNamedType(definition.type);
      const composite = isCompositeType(named);
      const typeHint = composite ? hintOf(named.astNode) : undefined;
      const maxAge =
        hintOf(definition.astNode)?.maxAge ??
        (typeHint?.inheritMaxAge ? inherited : typeHint?.maxAge) ??
        (composite || type === root ? 0 : undefined);
      if (maxAge !== undefined) smallest = Math.min(smallest, maxAge);
      if (node.selectionSet) {
        smallest = Math.min(smallest, walk(named, node.selectionSet, maxAge ?? inherited));
      }
    }
    return smallest;
  };
  const maxAge = walk(root, operation.selectionSet, 0);
  return Number.isFinite(maxAge) ? maxAge : 0;
}
