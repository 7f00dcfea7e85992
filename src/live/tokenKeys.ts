import { createHash, createHmac } from 'node:crypto';

// Per-token state (pollers, subscription counts) is keyed by a hash of the caller's credential,
// never by the credential itself, so that no map, log line or Redis name holds a token. Two
// spellings of one credential (`Bearer x`, `bearer  x`) are one key: upstream reads them alike.

/** The `Authorization` header with its scheme case-folded and its whitespace collapsed. */
export function normalisedAuthorization(authorization: string): string {
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  return [scheme.toLowerCase(), ...rest].join(' ');
}

/** This process's key for a credential: SHA-256 (hex) of its normalised form. */
export function tokenKey(authorization: string): string {
  return createHash('sha256').update(normalisedAuthorization(authorization)).digest('hex');
}

/**
 * The name other processes see for a credential (Redis keys and channels): an HMAC under a
 * secret the replicas share, so that someone reading Redis cannot test a guessed token against
 * it as they could against a plain hash.
 */
export function sharedTokenName(secret: string, authorization: string): string {
  return createHmac('sha256', secret)
    .update(normalisedAuthorization(authorization))
    .digest('base64url');
}
