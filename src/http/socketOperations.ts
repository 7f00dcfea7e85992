import {
  getOperationAST,
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
// validation with MAX_QUERY_DEPTH and MAX_ALIASES, then MAX_GUIDS with the variables.

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

/** The operation, or the errors that refuse it before anything runs. */
export function checkOperation(
  checks: OperationChecks,
  payload: SubscribePayload,
): CheckedOperation | GraphQLError[] {
  const { schema, limits, allowlist } = checks;
  // Allowlist mode: a registered id or text, run as the registered text.
  const query = allowlist ? admit(allowlist, payload) : payload.query;
  if (query === undefined) {
    const refusal = NOT_ALLOWED.errors[0] as GraphQLFormattedError;
    return [new GraphQLError(refusal.message, refusal)];
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.tokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [coded(error, ErrorCode.GRAPHQL_PARSE_FAILED)];
  }
  const invalid = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
  if (invalid.length > 0) return invalid.map((e) => coded(e, ErrorCode.GRAPHQL_VALIDATION_FAILED));
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    return [
      new GraphQLError('Unable to identify the operation to run (give its operationName).', {
        extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE },
      }),
    ];
  }
  const tooMany = guidLimitError(
    schema,
    document,
    operation,
    payload.variables ?? undefined,
    limits.guids,
  );
  if (tooMany) return [tooMany];
  if (operation.operation !== 'subscription') return { document, operation };
  // Validation allows a subscription exactly one root field.
  const root = schema.getSubscriptionType();
  const [field] = selectedFields(schema, document, root, operation.selectionSet);
  return { document, operation, subscription: field?.node.name.value };
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
