import {
  Kind,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** A selected field with its definition, as met while walking a validated document. */
export interface SelectedField {
  node: FieldNode;
  /** `undefined` for `__typename` and introspection fields, which no type declares. */
  definition: GraphQLField<unknown, unknown> | undefined;
}

/**
 * The fields a selection set selects on `type`, following inline fragments and fragment
 * spreads (with their own type conditions). For walks over a document that validation has
 * accepted: every fragment exists and none spreads itself.
 */
export function* selectedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  type: GraphQLNamedType | null | undefined,
  selectionSet: SelectionSetNode,
): Generator<SelectedField> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
      yield { node: selection, definition: fields[selection.name.value] };
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection
        : fragmentNamed(document, selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
    yield* selectedFields(schema, document, condition ?? type, fragment.selectionSet);
  }
}

function fragmentNamed(document: DocumentNode, name: string): FragmentDefinitionNode | undefined {
  return document.definitions.find(
    (definition): definition is FragmentDefinitionNode =>
      definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === name,
  );
}
