/**
 * Stats API answers shared between the operations of one token (UPSTREAM_CACHE_SECONDS).
 * Upstream marks its answers `Cache-Control: max-age=5, must-revalidate, private`: a private
 * cache may serve one again for that long. So an answer is kept for its max-age (capped by the
 * setting); requests in flight are joined apart from this (inFlight.ts). Keys are the
 * credential's key (credential.ts) with the request path: nothing is shared between tokens, and
 * no token is kept in memory.
 */
export interface SharedAnswers {
  /**
   * The fresh answer for this key (token and path), or `load()`'s. `load` calls `keep` with an
   * answer worth keeping and upstream's Cache-Control and Age for it.
   */
  get<T>(key: string, load: (keep: Keep<T>) => Promise<T>): Promise<T>;
}

export type Keep<T> = (value: T, freshness: Freshness, bytes: number) => void;

/** The answer's headers that say how long it stays fresh. */
export interface Freshness {
  cacheControl: string | undefined;
  /** Seconds it already spent in caches on the way (RFC 9111's `Age`). */
  age: string | undefined;
}

interface Entry {
  value: unknown;
  expires: number;
  bytes: number;
}

export function createSharedAnswers(options: {
  maxAgeSeconds: number;
  maxBytes: number;
  /** Told of each request answered from a kept answer, for the metrics. */
  onHit?: () => void;
}): SharedAnswers {
  const kept = new Map<string, Entry>();
  let keptBytes = 0;

  const forget = (key: string, entry: Entry) => {
    kept.delete(key);
    keptBytes -= entry.bytes;
  };

  function keep(key: string, value: unknown, freshness: Freshness, bytes: number) {
    const seconds = Math.min(freshFor(freshness), options.maxAgeSeconds);
    if (!(seconds > 0) || bytes > options.maxBytes) return;
    const old = kept.get(key);
    if (old) forget(key, old);
    // Map order is insertion order, which is close to expiry order: drop from the front what
    // has expired, then whatever is needed to stay within the byte budget.
    const time = Date.now();
    for (const [oldest, entry] of kept) {
      if (entry.expires > time && keptBytes + bytes <= options.maxBytes) break;
      forget(oldest, entry);
    }
    kept.set(key, { value, expires: time + seconds * 1000, bytes });
    keptBytes += bytes;
  }

  function get<T>(key: string, load: (keep: Keep<T>) => Promise<T>): Promise<T> {
    const entry = kept.get(key);
    if (entry && entry.expires > Date.now()) {
      options.onHit?.();
      return Promise.resolve(entry.value as T);
    }
    if (entry) forget(key, entry);
    return load((value, freshness, bytes) => keep(key, value, freshness, bytes));
  }

  return { get };
}

/**
 * Seconds the answer stays fresh from now: its `max-age` less the `Age` it arrived with (a cache
 * between here and upstream may have kept it for a while); 0 when it must not be kept or says
 * nothing of its age.
 */
function freshFor({ cacheControl, age }: Freshness): number {
  if (!cacheControl || /(?:^|,)\s*(?:no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  const spent = age && /^\s*\d+\s*$/.test(age) ? Number(age) : 0;
  return maxAge ? Number(maxAge[1]) - spent : 0;
}
