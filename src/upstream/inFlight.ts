import { abortedError } from './upstreamError.js';

/** What an exchange needs of each caller who joins it. */
export interface Joiner {
  signal: AbortSignal;
  /** When the caller's operation gives up, in `Date.now()` terms. */
  deadline: number;
}

/**
 * Identical Stats API requests in flight at once, joined into one exchange (UPSTREAM_DEDUPLICATE):
 * dashboards that open at the same moment, or a wallboard fleet on one token, ask for the same
 * page many times over. Keys are the credential's key (credential.ts) with the request path, so
 * nothing is joined across tokens. The exchange runs on a signal of its own, cut only when every
 * caller has left, and on the latest deadline of those who joined: each caller still leaves at
 * its own deadline or disconnect, and a failure (after whatever retries the exchange made, once)
 * reaches every caller still there.
 */
export interface InFlightRequests {
  /**
   * The answer of the exchange in flight for `key`, or of a new one that `send` starts with the
   * exchange's own signal and deadline in place of the caller's.
   */
  join<T, C extends Joiner>(key: string, caller: C, send: (exchange: C) => Promise<T>): Promise<T>;
}

interface Exchange {
  answer: Promise<unknown>;
  /** The caller object `send` was given: its deadline moves out as later callers join. */
  caller: Joiner;
  cut: AbortController;
  callers: number;
  /** Takes it out of the map, so that nobody joins it once it is done or cut. */
  forget: () => void;
}

export function createInFlightRequests(options: {
  /** Told whether each request started an exchange or joined one, for the metrics. */
  onJoin?: (joined: boolean) => void;
}): InFlightRequests {
  const exchanges = new Map<string, Exchange>();

  function join<T, C extends Joiner>(
    key: string,
    caller: C,
    send: (exchange: C) => Promise<T>,
  ): Promise<T> {
    if (caller.signal.aborted) return Promise.reject(abortedError(caller.signal));
    let exchange = exchanges.get(key);
    options.onJoin?.(exchange !== undefined);
    if (exchange) {
      exchange.caller.deadline = Math.max(exchange.caller.deadline, caller.deadline);
    } else {
      const cut = new AbortController();
      const own: C = { ...caller, signal: cut.signal };
      const forget = () => {
        if (exchanges.get(key) === started) exchanges.delete(key);
      };
      const started: Exchange = { answer: send(own), caller: own, cut, callers: 0, forget };
      exchanges.set(key, started);
      started.answer.then(forget, forget);
      exchange = started;
    }
    return untilLeft(exchange, caller.signal) as Promise<T>;
  }

  return { join };
}

/**
 * The exchange's outcome for one caller, or the caller's own abort as an UpstreamError; the last
 * caller to leave cuts the exchange, with its own reason.
 */
function untilLeft(exchange: Exchange, signal: AbortSignal): Promise<unknown> {
  exchange.callers++;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (--exchange.callers === 0) {
        exchange.forget();
        exchange.cut.abort(signal.reason);
      }
      reject(abortedError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    exchange.answer.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
