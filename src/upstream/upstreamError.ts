// Upstream failures, classified once at the boundary: callers switch on `kind`, never on HTTP
// statuses. Knows nothing of GraphQL; src/errors.ts turns these into client-facing errors.

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
