import {
  ErrorsAreMissesCache,
  InMemoryLRUCache,
  type KeyValueCache,
} from '@apollo/utils.keyvaluecache';
import type { Logger } from '../telemetry/logger.js';

export interface PersistedQueryStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

/** The in-memory store's bound: query texts are small, so this holds tens of thousands. */
const MEMORY_BYTES = 16 * 1024 * 1024;

/**
 * Where automatic persisted queries keep query texts by hash. With REDIS_URL, in Redis, shared
 * by every replica, so a hash registered with one is known to all; otherwise a bounded LRU in
 * memory. Redis failing or unreachable turns into cache misses (the client then sends the full
 * query, as the APQ protocol has it), never into failed operations.
 */
export async function persistedQueryStore(
  redisUrl: string | undefined,
  logger: Logger,
): Promise<PersistedQueryStore> {
  if (!redisUrl) {
    return {
      cache: new InMemoryLRUCache<string>({ maxSize: MEMORY_BYTES }),
      close: async () => {},
    };
  }
  // Loaded only when configured: the Redis client is a sizeable module tree. One after another,
  // because Jest's ESM loader fails concurrent first imports of a shared dependency
  // (@keyv/serialize); at start-up the order costs nothing.
  const { Keyv } = await import('keyv');
  const { default: KeyvRedis } = await import('@keyv/redis');
  const { KeyvAdapter } = await import('@apollo/utils.keyvadapter');
  // No offline queue: while Redis is away (it stopped, the network dropped), a lookup fails at
  // once and counts as a miss, instead of waiting, with the operation, for the reconnection.
  const redis = new KeyvRedis(
    { url: redisUrl, disableOfflineQueue: true },
    { connectionTimeout: 1000, throwOnConnectError: true },
  );
  const keyv = new Keyv<string>({ store: redis, namespace: 'stats-gateway' });
  keyv.on('error', (error: unknown) => logger.warn({ err: error }, 'Redis error'));
  // keyv ships separate type declarations for import and require; KeyvAdapter names the other.
  const adapter = new KeyvAdapter<string>(
    keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0],
  );
  return {
    cache: new ErrorsAreMissesCache(adapter, logger),
    close: () => keyv.disconnect(),
  };
}

/**
 * Why an automatic persisted query's hash cannot be looked up, or `undefined` when it can.
 * Apollo looks a hash up as `prefix + sha256Hash`, which throws (a 500) on an object whose
 * `toString` is not a function, and reads any other non-string as its text; the protocol's hash
 * is a hex string, so the HTTP layer refuses anything else before Apollo sees it.
 */
export function persistedHashProblem(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  if (hash === undefined || typeof hash === 'string') return undefined;
  return 'extensions.persistedQuery.sha256Hash must be a string: the SHA-256 of the query, in hex';
}
