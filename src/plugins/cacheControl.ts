import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from '../context.js';

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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const root = schema.getRootType(operation.operation);
  const walk = (
    type: GraphQLNamedType | null | undefined,
    selectionSet: SelectionSetNode,
    inherited: number,
  ): number => {
    let smallest = Infinity;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (name.startsWith('__')) return 0;
        const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
        const field = fields[name];
        if (!field) continue;
        const named = getNamedType(field.type);
        const composite = isCompositeType(named);
        const typeHint = composite ? hintOf(named.astNode) : undefined;
        const maxAge =
          hintOf(field.astNode)?.maxAge ??
          (typeHint?.inheritMaxAge ? inherited : typeHint?.maxAge) ??
          (composite || type === root ? 0 : undefined);
        if (maxAge !== undefined) smallest = Math.min(smallest, maxAge);
        if (selection.selectionSet) {
          smallest = Math.min(smallest, walk(named, selection.selectionSet, maxAge ?? inherited));
        }
      } else {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition =
          fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
        smallest = Math.min(smallest, walk(condition ?? type, fragment.selectionSet, inherited));
      }
    }
    return smallest;
  };
  const maxAge = walk(root, operation.selectionSet, 0);
  return Number.isFinite(maxAge) ? maxAge : 0;
}
