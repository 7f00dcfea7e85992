import { abortedError } from './upstreamError.js';

/**
 * Stats API answers shared between the operations of one token (UPSTREAM_CACHE_SECONDS).
 * Upstream marks its answers `Cache-Control: max-age=5, must-revalidate, private`: a private
 * cache may serve one again for that long. So an answer is kept for its max-age (capped by the
 * setting), and a request that arrives while the same one is in flight waits for it instead of
 * sending its own. Keys are the credential's key (credential.ts) with the request path: nothing
 * is shared between tokens, and no token is kept in memory.
 */
export interface SharedAnswers {
  /**
   * The fresh answer for this token and path, the one in flight, or `load()`'s. `load` calls
   * `keep` with an answer worth keeping and upstream's Cache-Control and Age for it.
   */
  get<T>(
    tokenKey: string,
    path: string,
    signal: AbortSignal,
    load: (keep: Keep<T>) => Promise<T>,
  ): Promise<T>;
}

export type Keep<T> = (value: T, freshness: Freshness, bytes: number) => void;

/** The answer's headers that say how long it stays fresh. */
export interface Freshness {
  cacheControl: string | undefined;
  /** Seconds it already spent in caches on the way (RFC 9111's `Age`). */
  age: string | undefined;
}

export type SharedResult = 'hit' | 'shared' | 'miss';

interface Entry {
  value: unknown;
  expires: number;
  bytes: number;
}

interface InFlight {
  answer: Promise<unknown>;
  /** The signal of the operation whose request it is. */
  signal: AbortSignal;
}

export function createSharedAnswers(options: {
  maxAgeSeconds: number;
  maxBytes: number;
  /** Told how each request was answered, for the metrics. */
  onResult?: (result: SharedResult) => void;
}): SharedAnswers {
  const kept = new Map<string, Entry>();
  const inFlight = new Map<string, InFlight>();
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

  async function get<T>(
    tokenKey: string,
    path: string,
    signal: AbortSignal,
    load: (keep: Keep<T>) => Promise<T>,
  ): Promise<T> {
    const key = `${tokenKey} ${path}`;
    const entry = kept.get(key);
    if (entry && entry.expires > Date.now()) {
      options.onResult?.('hit');
      return entry.value as T;
    }
    if (entry) forget(key, entry);

    const running = inFlight.get(key);
    if (running) {
      options.onResult?.('shared');
      try {
        return (await untilAborted(running.answer, signal)) as T;
      } catch (error) {
        // Its own operation gave up on it (a disconnect, a deadline): not this one's failure.
        if (running.signal.aborted && !signal.aborted) return get(tokenKey, path, signal, load);
        throw error;
      }
    }

    options.onResult?.('miss');
    const answer = load((value, freshness, bytes) => keep(key, value, freshness, bytes));
    const flight = { answer, signal };
    inFlight.set(key, flight);
    try {
      return await answer;
    } finally {
      if (inFlight.get(key) === flight) inFlight.delete(key);
    }
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

/** The promise's outcome, or the signal's abort as an UpstreamError, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
