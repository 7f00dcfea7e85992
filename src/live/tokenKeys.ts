import { createHmac } from 'node:crypto';
import { normalisedCredential } from '../upstream/credential.js';

// Per-token state (pollers, subscription counts) is keyed like the rest of the gateway's
// per-token state, by upstream/credential.ts's credentialKey; this is the name for Redis.

/**
 * The name other processes see for a credential (Redis keys and channels): an HMAC under a
 * secret the replicas share, so that someone reading Redis cannot test a guessed token against
 * it as they could against a plain hash.
 */
export function sharedTokenName(secret: string, authorization: string): string {
  return createHmac('sha256', secret)
    .update(normalisedCredential(authorization))
    .digest('base64url');
}
