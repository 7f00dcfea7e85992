// Upstream failures, classified once at the boundary: callers switch on `kind`, never on HTTP
// statuses. Knows nothing of GraphQL; src/errors.ts turns these into client-facing errors.

export type UpstreamErrorKind =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE';

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
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}
