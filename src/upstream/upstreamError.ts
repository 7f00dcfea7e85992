// Upstream failures, classified once at the boundary: callers switch on `kind`, never on HTTP
// statuses. Knows nothing of GraphQL; src/errors.ts turns these into client-facing errors.

import type { IncomingHttpHeaders } from 'node:http';
import { retryAfterSeconds } from './retryPolicy.js';

export type UpstreamErrorKind =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  /** The gateway's own queue for Stats API requests is full. */
  | 'BUSY'
  /** The caller went away, so the request was abandoned. */
  | 'CANCELLED';

export class UpstreamError extends Error {
  override name = 'UpstreamError';

  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly details: {
      /** HTTP status, when upstream answered at all. */
      status?: number;
      /** upstream's own message text, safe to show the caller (never the whole body) */
      upstreamMessage?: string;
      retryAfterSeconds?: number;
      /** The network error's code (ECONNRESET, ...), when there was no answer. */
      code?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/**
 * What an aborted operation signal means: its deadline passed (aborted with a `TimeoutError`,
 * as `AbortSignal.timeout` does) or its caller disconnected (anything else).
 */
export function abortedError(signal: AbortSignal): UpstreamError {
  // By name, not instanceof: a DOMException from another realm (a test VM) is still one.
  const reason = signal.reason as { name?: unknown } | undefined;
  return reason?.name === 'TimeoutError'
    ? new UpstreamError('TIMEOUT', 'The operation deadline passed before the Stats API answered')
    : new UpstreamError('CANCELLED', 'The caller disconnected');
}

// Codes of failures that came with no HTTP status, other than those worth repeating (the retry
// policy's): a timer ran out (got's UPSTREAM_TIMEOUT_MS per attempt, or the system's connect
// timeout), or the body would be larger than UPSTREAM_MAX_RESPONSE_BYTES. That last code is
// zlib's, for a body that decompresses past the cap; the gateway gives it too to a body that
// arrives past it. A body that does not decode as its Content-Encoding says gets the gateway's
// own code, in place of zlib's several.
const TIMEOUT_CODES = new Set(['ETIMEDOUT']);
export const BODY_TOO_LARGE = 'ERR_BUFFER_TOO_LARGE';
export const BODY_UNDECODABLE = 'ERR_BODY_UNDECODABLE';

/** A failure that came with no HTTP status, classified by its error code. */
export function fromRequestError(error: unknown, maxResponseBytes: number): UpstreamError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return new UpstreamError('UNAVAILABLE', 'Stats API request failed', { cause: error });
  }
  if (TIMEOUT_CODES.has(code)) {
    return new UpstreamError('TIMEOUT', 'Stats API did not answer in time', { code, cause: error });
  }
  if (code === BODY_TOO_LARGE) {
    return new UpstreamError(
      'BAD_RESPONSE',
      `Stats API body is over UPSTREAM_MAX_RESPONSE_BYTES (${maxResponseBytes})`,
      { code, cause: error },
    );
  }
  if (code === BODY_UNDECODABLE) {
    return new UpstreamError('BAD_RESPONSE', 'Stats API body does not decode as it says', {
      code,
      cause: error,
    });
  }
  return new UpstreamError('UNAVAILABLE', `Stats API request failed (${code})`, {
    code,
    cause: error,
  });
}

/** An answer other than 200, classified by its status; the 404 of a lookup is not a failure. */
export function fromStatus(
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
): UpstreamError {
  const message = `Stats API answered ${status}`;
  const retryAfter = retryAfterSeconds(firstValue(headers['retry-after']));
  switch (status) {
    case 400:
      return new UpstreamError('BAD_REQUEST', message, {
        status,
        upstreamMessage: upstreamMessage(body),
      });
    case 401:
      return new UpstreamError('UNAUTHORIZED', message, { status });
    case 403:
      return new UpstreamError('FORBIDDEN', message, { status });
    case 429:
      return new UpstreamError('RATE_LIMITED', message, { status, retryAfterSeconds: retryAfter });
  }
  if (status >= 500) {
    return new UpstreamError('UNAVAILABLE', message, { status, retryAfterSeconds: retryAfter });
  }
  return new UpstreamError('BAD_RESPONSE', message, { status });
}

// Error bodies come in three shapes ({message}, {statusCode,error,message} and OAuth's
// {error,error_description}); only the human-readable text is kept, never the body itself.
function upstreamMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { message, error_description } = parsed as Record<string, unknown>;
  const text = message ?? error_description;
  if (typeof text !== 'string') return undefined;
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
}

export function firstValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}
