import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { UpstreamError, type UpstreamErrorKind } from './upstream/upstreamError.js';

/**
 * Every `extensions.code` a client can see. Part of the public contract (docs/errors.md):
 * add codes, never rename them. The GRAPHQL_* and PERSISTED_QUERY_* codes are Apollo's own.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  GATEWAY_BUSY: 'GATEWAY_BUSY',
  /**
   * MAX_RESULT_ITEMS: the answer would hold more interactions, channels and events; or
   * QUEUE_STATS_MAX_VISITS: a queue report would read more visits.
   */
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  /** A socket or token already holds as many subscriptions as LIVE_MAX_SUBSCRIPTIONS_* allow. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** Only ever in logs: the caller had gone, so nobody received it. */
  CLIENT_CLOSED_REQUEST: 'CLIENT_CLOSED_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** Allowlist mode (PERSISTED_OPERATIONS_MANIFEST): the operation is not registered. */
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<unknown>(Object.values(ErrorCode));

export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}": ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument },
  });
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError(
    'This operation needs the Stats API: send your access token as "Authorization: Bearer <token>".',
    { extensions: { code: ErrorCode.UNAUTHENTICATED } },
  );
}

export function resultTooLarge(max: number): GraphQLError {
  return new GraphQLError(
    `The answer would hold more than ${max} interactions, channels and events ` +
      `(MAX_RESULT_ITEMS=${max}), so none of it is sent. Ask for less in one operation: only ` +
      'the kinds of event you need with events(types: [...]), events either on the ' +
      'interaction or on its channels rather than both, fewer guids or aliases, or a smaller ' +
      'page limit (then the next page).',
    { extensions: { code: ErrorCode.RESULT_TOO_LARGE, limit: 'MAX_RESULT_ITEMS', max } },
  );
}

/** A queue report over more visits than QUEUE_STATS_MAX_VISITS: refused, never partial. */
export function tooManyVisits(max: number, found: number): GraphQLError {
  return new GraphQLError(
    `The window holds ${found} queue visits, more than the ${max} a report may read ` +
      `(QUEUE_STATS_MAX_VISITS=${max}), so no figures are computed. Ask for a shorter window ` +
      'or fewer queues.',
    { extensions: { code: ErrorCode.RESULT_TOO_LARGE, limit: 'QUEUE_STATS_MAX_VISITS', max } },
  );
}

/** A subscription refused at a limit; `limit` names its environment variable. */
export function tooManySubscriptions(limit: string, max: number): GraphQLError {
  return new GraphQLError(
    `At most ${max} subscriptions are allowed here (${limit}); complete one before starting another.`,
    { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, limit } },
  );
}

const UPSTREAM: Record<UpstreamErrorKind, { code: ErrorCode; message: string }> = {
  UNAUTHORIZED: {
    code: ErrorCode.UNAUTHENTICATED,
    message: 'The Stats API refused the access token: it is missing its scope, invalid or expired.',
  },
  FORBIDDEN: {
    code: ErrorCode.FORBIDDEN,
    message: 'The Stats API does not allow this access token to read this data.',
  },
  BAD_REQUEST: { code: ErrorCode.BAD_USER_INPUT, message: 'The Stats API refused the request.' },
  RATE_LIMITED: {
    code: ErrorCode.RATE_LIMITED,
    message: "The account's Stats API fair-usage limit is reached; try again shortly.",
  },
  UNAVAILABLE: { code: ErrorCode.UPSTREAM_UNAVAILABLE, message: 'The Stats API is unavailable.' },
  TIMEOUT: { code: ErrorCode.UPSTREAM_TIMEOUT, message: 'The Stats API did not answer in time.' },
  BAD_RESPONSE: {
    code: ErrorCode.UPSTREAM_BAD_RESPONSE,
    message: 'The Stats API sent an answer the gateway cannot read.',
  },
  BUSY: {
    code: ErrorCode.GATEWAY_BUSY,
    message: 'The gateway has too many Stats API requests waiting; try again shortly.',
  },
  CANCELLED: { code: ErrorCode.CLIENT_CLOSED_REQUEST, message: 'The caller disconnected.' },
};

function fromUpstream(error: UpstreamError): {
  message: string;
  extensions: Record<string, unknown>;
} {
  const { code, message } = UPSTREAM[error.kind];
  const { upstreamMessage, retryAfterSeconds } = error.details;
  return {
    message: upstreamMessage ? `${message} It said: ${upstreamMessage}` : message,
    extensions: retryAfterSeconds === undefined ? { code } : { code, retryAfterSeconds },
  };
}

// graphql-js's message for its `maxTokens` parse option (graphql/apolloServer.ts), typo
// included ("more that").
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/**
 * Apollo's `formatError`: the only place a failure becomes what a client sees. Upstream errors
 * get their code; GraphQL errors with a known code pass; anything else is an
 * INTERNAL_SERVER_ERROR with a generic message (the detail is logged: operationOutcome.ts).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { locations, path } = formatted;
  if (original instanceof UpstreamError) return { ...fromUpstream(original), locations, path };
  const code = formatted.extensions?.code;
  const tokens = TOO_MANY_TOKENS.exec(formatted.message)?.[1];
  if (code === ErrorCode.GRAPHQL_PARSE_FAILED && tokens) {
    return {
      message: `Document has more than ${tokens} tokens (MAX_QUERY_TOKENS).`,
      locations,
      extensions: { code, limit: 'MAX_QUERY_TOKENS' },
    };
  }
  const refused = uncodedRefusal(original);
  if (refused) return { message: formatted.message, locations, extensions: { code: refused } };
  if (code !== ErrorCode.INTERNAL_SERVER_ERROR && KNOWN_CODES.has(code)) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    locations,
    path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

// graphql-js's last error when a request's variables have more problems than it lists (50).
const TOO_MANY_VARIABLE_ERRORS =
  'Too many errors processing variables, error limit reached. Execution aborted.';

/**
 * Refusals of the caller's request that Apollo and graphql-js leave without a code, so that
 * they are not shown as INTERNAL_SERVER_ERROR: Apollo's 4xx answers to a persisted query of
 * another version or a hash that is not its query's, and graphql-js's cut-off of variable
 * errors. Their messages name no internals.
 */
function uncodedRefusal(error: unknown): ErrorCode | undefined {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return undefined;
  if (error.message === TOO_MANY_VARIABLE_ERRORS) return ErrorCode.BAD_USER_INPUT;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  const clientError = typeof status === 'number' && status >= 400 && status < 500;
  return clientError ? ErrorCode.BAD_REQUEST : undefined;
}

/** The code a client is shown for `error`: for the log, metrics and trace (operationOutcome.ts). */
export function codeOf(error: unknown): string {
  const formatted = error instanceof GraphQLError ? error.toJSON() : { message: '' };
  return String(formatError(formatted, error).extensions?.code);
}
