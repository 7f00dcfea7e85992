import { createHash } from 'node:crypto';

/**
 * The key of every per-token structure (the limiter's slots, shared answers, live pollers): one
 * per credential as the Stats API sees it. Upstream reads `Bearer tok`, `bearer tok` and
 * `Bearer  tok` as the same token, so keying on the raw header would give one caller a limit
 * per spelling. The scheme is case-folded and whitespace collapsed; the token itself is kept as
 * sent (tokens are case-sensitive). Hashed, so that no structure holds a token.
 */
export function credentialKey(authorization: string): string {
  return createHash('sha256').update(normalisedCredential(authorization)).digest('base64url');
}

/** The `Authorization` header with its scheme case-folded and its whitespace collapsed. */
export function normalisedCredential(authorization: string): string {
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  return rest.length === 0 ? scheme : `${scheme.toLowerCase()} ${rest.join(' ')}`;
}
