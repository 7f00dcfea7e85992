import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Logger } from '../telemetry/logger.js';

/** Failures in a row (errors or timeouts) after which Redis is skipped. */
const FAILURES_TO_SKIP = 3;
/** While Redis is skipped, how long between probes asking whether it answers again. */
const PROBE_EVERY_MS = 1000;

/** What the breaker needs of the Redis connection besides the cache it serves. */
export interface RedisLink {
  /** One round trip that succeeds only when Redis answers (PING). */
  ping(): Promise<unknown>;
  /** Drops a connection that took commands and answered none, and opens a new one. */
  reconnect(): void;
}

export interface BreakerOptions {
  /** REDIS_TIMEOUT_MS: how long one call may take before it counts as failed. */
  timeoutMs: number;
  link: RedisLink;
  logger: Logger;
  /** A registration that was not stored: Redis failed, or was being skipped. */
  onDropped(): void;
}

export interface BreakerCache extends KeyValueCache<string> {
  /** Stops probing; the connection itself is the caller's to close. */
  close(): void;
}

class RedisTimeout extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within REDIS_TIMEOUT_MS (${ms} ms)`);
    this.name = 'RedisTimeout';
  }
}

/**
 * Redis in front of Apollo's persisted-query lookups, so that a Redis that is down, paused or
 * unreachable costs an operation at most REDIS_TIMEOUT_MS, and after a few failures nothing: a
 * lookup is a miss at once (the client then sends the text, as the APQ protocol has it) and a
 * registration is dropped. Meanwhile one probe at a time asks Redis, in the background, and the
 * first answer lets operations use it again. A timed-out call is abandoned, not cancelled: the
 * connection is replaced when Redis is first skipped, and after each probe that timed out.
 */
export function breakerCache(inner: KeyValueCache<string>, options: BreakerOptions): BreakerCache {
  const { timeoutMs, link, logger } = options;
  let failures = 0;
  let skipping = false;
  let closed = false;
  let probe: NodeJS.Timeout | undefined;

  const bounded = <T>(work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisTimeout(timeoutMs)), timeoutMs);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };

  const scheduleProbe = () => {
    probe = setTimeout(() => {
      bounded(link.ping()).then(
        () => {
          if (closed) return;
          skipping = false;
          failures = 0;
          logger.info('Redis answers again: persisted queries use it again');
        },
        (error: unknown) => {
          if (closed) return;
          if (error instanceof RedisTimeout) link.reconnect();
          scheduleProbe();
        },
      );
    }, PROBE_EVERY_MS);
    probe.unref();
  };

  const failed = (error: unknown) => {
    failures += 1;
    if (skipping || closed) return;
    if (failures < FAILURES_TO_SKIP) {
      logger.warn({ err: error }, 'Redis call failed: the persisted query counts as a miss');
      return;
    }
    skipping = true;
    logger.warn(
      { err: error, failures },
      `Redis failed ${failures} times in a row: persisted queries skip it, probing every ${PROBE_EVERY_MS} ms`,
    );
    link.reconnect();
    scheduleProbe();
  };

  /** The call's result, or `fallback` when Redis is skipped or the call fails. */
  const call = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    if (skipping) return fallback;
    try {
      const result = await bounded(work());
      failures = 0;
      return result;
    } catch (error) {
      failed(error);
      return fallback;
    }
  };

  return {
    get: (key: string) => call(() => inner.get(key), undefined),
    async set(key: string, value: string, setOptions?: KeyValueCacheSetOptions) {
      const stored = await call(async () => {
        await inner.set(key, value, setOptions);
        return true;
      }, false);
      if (!stored) options.onDropped();
    },
    delete: (key: string) => call(async () => inner.delete(key), false),
    close() {
      closed = true;
      clearTimeout(probe);
    },
  };
}
