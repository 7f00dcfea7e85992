import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { RequestLimits } from '../config.js';
import { ErrorCode, formatError } from '../errors.js';
import { guidLimitError, limitRules } from '../graphql/plugins/limits.js';
import { redactor } from '../graphql/plugins/redaction.js';
import { selectedFields } from '../graphql/selections.js';
import { admit, NOT_ALLOWED, type OperationManifest } from './allowlist.js';

// An operation over WebSocket passes the checks an HTTP request passes in Apollo's pipeline,
// in the same order and with the same codes: the allowlist, MAX_QUERY_TOKENS while parsing,
// validation with MAX_QUERY_DEPTH and MAX_ALIASES, the variables against their definitions
// (BAD_USER_INPUT, as Apollo words it), then MAX_GUIDS with the variables.

export interface OperationChecks {
  schema: GraphQLSchema;
  limits: RequestLimits;
  allowlist?: OperationManifest;
}

export interface CheckedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The root field a subscription subscribes to; `undefined` for queries. */
  subscription?: string;
}

const coded = (error: GraphQLError, code: ErrorCode) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });

// Valid documents are kept by their text, as Apollo keeps them for HTTP: a thousand dashboards
// sending the same subscription hold one parsed document (about 30 KiB each otherwise,
// measured) and validate it once. Bounded by the texts' total length, oldest out first.
const DOCUMENT_CACHE_TEXT = 512 * 1024;

/** Checks operations as they come: the operation, or the errors refusing it before it runs. */
export function operationChecker(
  checks: OperationChecks,
): (payload: SubscribePayload) => CheckedOperation | GraphQLError[] {
  const { schema, limits, allowlist } = checks;
  const documents = new Map<string, DocumentNode>();
  let cachedText = 0;

  function valid(query: string): DocumentNode | GraphQLError[] {
    const known = documents.get(query);
    if (known) {
      documents.delete(query); // most recently used last
      documents.set(query, known);
      return known;
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.tokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return [coded(error, ErrorCode.GRAPHQL_PARSE_FAILED)];
    }
    const invalid = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
    if (invalid.length > 0) {
      return invalid.map((e) => coded(e, ErrorCode.GRAPHQL_VALIDATION_FAILED));
    }
    documents.set(query, document);
    for (cachedText += query.length; cachedText > DOCUMENT_CACHE_TEXT;) {
      const [oldest] = documents.keys();
      documents.delete(oldest as string);
      cachedText -= (oldest as string).length;
    }
    return document;
  }

  return (payload) => {
    // Allowlist mode: a registered text, or a registered id with an empty text (graphql-ws
    // requires one), run as the registered text.
    const query = allowlist
      ? admit(allowlist, { query: payload.query || undefined, extensions: payload.extensions })
      : payload.query;
    if (query === undefined) {
      const refusal = NOT_ALLOWED.errors[0] as GraphQLFormattedError;
      return [new GraphQLError(refusal.message, refusal)];
    }
    const document = valid(query);
    if (Array.isArray(document)) return document;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [
        new GraphQLError('Unable to identify the operation to run (give its operationName).', {
          extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE },
        }),
      ];
    }
    const variables = payload.variables ?? undefined;
    // Left to graphql-ws, a variable that does not fit would come back without a code, as an
    // INTERNAL_SERVER_ERROR.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) return coerced.errors.map((e) => coded(e, ErrorCode.BAD_USER_INPUT));
    const tooMany = guidLimitError(schema, document, operation, variables, limits.guids);
    if (tooMany) return [tooMany];
    if (operation.operation !== 'subscription') return { document, operation };
    // Validation allows a subscription exactly one root field.
    const root = schema.getSubscriptionType();
    const [field] = selectedFields(schema, document, root, operation.selectionSet);
    return { document, operation, subscription: field?.node.name.value };
  };
}

/** Errors as a client over WebSocket sees them: formatError's codes, without the caller's token. */
export function formatErrors(
  errors: readonly GraphQLError[],
  authorization: string | undefined,
): GraphQLFormattedError[] {
  const redact = redactor(authorization);
  return errors.map((error) => {
    const formatted = formatError(error.toJSON(), error);
    return redact ? { ...formatted, message: redact(formatted.message) } : formatted;
  });
}
