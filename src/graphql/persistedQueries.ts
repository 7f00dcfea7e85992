import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '../telemetry/logger.js';
import { breakerCache } from './redisBreaker.js';

export interface PersistedQueryStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

export interface RedisOptions {
  /** REDIS_URL; `undefined` keeps persisted queries in memory. */
  url: string | undefined;
  /** REDIS_TIMEOUT_MS: one command, and one connection attempt. */
  timeoutMs: number;
  /** Counts a registration that Redis could not store. */
  onDropped(): void;
}

/** The in-memory store's bound: query texts are small, so this holds tens of thousands. */
const MEMORY_BYTES = 16 * 1024 * 1024;

/**
 * Where automatic persisted queries keep query texts by hash. With REDIS_URL, in Redis, shared
 * by every replica, so a hash registered with one is known to all; otherwise a bounded LRU in
 * memory. Redis failing, slow or unreachable turns into cache misses (the client then sends the
 * full query, as the APQ protocol has it), never into failed or waiting operations: see
 * redisBreaker.ts. Start-up never waits on Redis: the connection is opened in the background.
 */
export async function persistedQueryStore(
  redis: RedisOptions,
  logger: Logger,
): Promise<PersistedQueryStore> {
  if (!redis.url) {
    return {
      cache: new InMemoryLRUCache<string>({ maxSize: MEMORY_BYTES }),
      close: async () => {},
    };
  }
  // Loaded only when configured: the Redis client is a sizeable module tree. One after another,
  // because Jest's ESM loader fails concurrent first imports of a shared dependency
  // (@keyv/serialize); at start-up the order costs nothing.
  const { Keyv } = await import('keyv');
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const { KeyvAdapter } = await import('@apollo/utils.keyvadapter');
  // While the connection is down or still opening, a command waits for it at most
  // REDIS_TIMEOUT_MS, then is dropped from the queue (node-redis's own command timeout, which
  // holds until a command is sent; the breaker bounds the wait for an answer). The client
  // reconnects on its own; unref'd, its sockets never keep the process alive (node-redis can
  // leave one behind when destroyed while connecting).
  const client = createClient({
    url: redis.url,
    commandOptions: { timeout: redis.timeoutMs },
    socket: { connectTimeout: redis.timeoutMs },
  });
  client.unref();
  const connect = () => {
    client
      .connect()
      .catch((error: unknown) => logger.warn({ err: error }, 'Redis connection failed'));
  };
  connect();
  // Failures (an error reply such as NOAUTH or OOM too) are thrown, not turned into misses
  // here, so that the breaker counts them.
  const store = new KeyvRedis(client, { throwOnErrors: true });
  const keyv = new Keyv<string>({ store, namespace: 'stats-gateway', throwOnErrors: true });
  // Every failed command and reconnection attempt: the breaker logs what operators act on.
  keyv.on('error', (error: unknown) => logger.debug({ err: error }, 'Redis error'));
  // keyv ships separate type declarations for import and require; KeyvAdapter names the other.
  const adapter = new KeyvAdapter<string>(
    keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0],
  );
  const cache = breakerCache(adapter, {
    timeoutMs: redis.timeoutMs,
    logger,
    onDropped: redis.onDropped,
    link: {
      ping: () => client.ping(),
      reconnect() {
        // Only a connection that is up can hold unanswered commands; one still opening is left
        // to finish or fail on its own.
        if (!client.isReady) return;
        client.destroy();
        connect();
      },
    },
  });
  return {
    cache,
    async close() {
      cache.close();
      if (client.isOpen) client.destroy();
    },
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
