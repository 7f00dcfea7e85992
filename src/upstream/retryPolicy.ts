import type { UpstreamError } from './upstreamError.js';

// When a failed Stats API request is worth repeating, and after how long. Every call is a GET,
// so repeating one is always safe; what is repeated is what may pass: a busy or restarting
// upstream, and a connection that dropped before a whole answer arrived.

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// A connection refused, reset (mid-answer, or a kept-alive socket the other side had closed:
// Node's "socket hang up") or broken while the request was written.
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/**
 * How long to wait before the next attempt, or `undefined` to fail now: the failure is not
 * worth repeating, the retries are used up, or the wait would not end before the deadline.
 * Upstream's `Retry-After` is honoured as given; otherwise exponential backoff with full
 * jitter, so that callers who failed together do not all come back together.
 */
export function retryDelayMs(
  failure: UpstreamError,
  retries: number,
  maxRetries: number,
  deadline: number,
  now = Date.now(),
  random = Math.random,
): number | undefined {
  const { status, code, retryAfterSeconds } = failure.details;
  const retryable =
    status === undefined ? code !== undefined && RETRY_CODES.has(code) : RETRY_STATUSES.has(status);
  if (!retryable || retries >= maxRetries) return undefined;
  const delay =
    retryAfterSeconds === undefined
      ? random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries)
      : retryAfterSeconds * 1000;
  return now + delay < deadline ? delay : undefined;
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function retryAfterSeconds(
  header: string | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
