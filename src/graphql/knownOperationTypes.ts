import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation type the schema has no root for (a mutation: it only reads). graphql-js
 * 16 validates such an operation without complaint (its KnownOperationTypes rule arrives in v17), then fails to
 * execute it with an error Apollo can only answer as INTERNAL_SERVER_ERROR.
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(
        `This gateway is read-only: it has no ${node.operation} operations; send a query.`,
        { nodes: node },
      ),
    );
  },
});
