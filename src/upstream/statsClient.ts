import { setTimeout as sleep } from 'node:timers/promises';
import type { UpstreamConfig } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import { UpstreamLimiter, type Outcome } from './limiter.js';
import { parseInteraction, parseInteractionPage, parseQueueVisitPage } from './parse.js';
import { retryDelayMs } from './retryPolicy.js';
import { createInFlightRequests } from './inFlight.js';
import { createSharedAnswers, type Keep } from './sharedAnswers.js';
import { createStatsHttp, type Answer, type StatsHttp } from './statsHttp.js';
import type {
  InteractionDto,
  InteractionPageDto,
  PageParams,
  QueueTimesParams,
  QueueVisitPageDto,
  WindowParams,
} from './types.js';
import {
  abortedError,
  firstValue,
  fromRequestError,
  fromStatus,
  UpstreamError,
} from './upstreamError.js';

export interface StatsClientOptions extends UpstreamConfig {
  /** Base URL including `/stats`, for example `https://emea.api.newvoicemedia.com/stats`. */
  baseUrl: string;
  /** Told of every attempt: its status, or its failure kind when no status came (metrics). */
  observe?: (endpoint: string, status: string, seconds: number) => void;
  /** Told how each request was answered (metrics): kept, joined to one in flight, or sent. */
  onShared?: (result: SharedResult) => void;
  /** Told when upstream's pushback halves a token's window of requests in flight. */
  onWindowDecrease?: (from: number, to: number) => void;
}

/**
 * One operation's side of a call. Of the caller it carries only their `Authorization` header,
 * sent verbatim; the rest is the operation's own: its request id (sent as `x-request-id`), its
 * signal (aborted at its deadline or when its caller disconnects), its logger and counters.
 */
export interface UpstreamCaller {
  authorization: string;
  /** The caller's credential as a key for per-token state (credential.ts): never the token. */
  tokenKey: string;
  requestId: string;
  signal: AbortSignal;
  /** When the operation's deadline passes, in `Date.now()` terms. */
  deadline: number;
  logger: Logger;
  /** Attempts made and retries among them, for the operation's log line. */
  usage: { calls: number; retries: number };
  /** Told of each attempt when the operation is traced: times are epoch milliseconds. */
  onAttempt?: (endpoint: string, status: string, startMs: number, endMs: number) => void;
}

export interface StatsClient {
  /** The interaction, or `null` when upstream answers 404 for this caller. */
  getInteraction(guid: string, caller: UpstreamCaller): Promise<InteractionDto | null>;
  /** `GET /interactions`: one page of a time window. */
  getInteractions(params: WindowParams, caller: UpstreamCaller): Promise<InteractionPageDto>;
  /** `GET /interactions/ongoing`: one page of the interactions in progress. */
  getOngoingInteractions(params: PageParams, caller: UpstreamCaller): Promise<InteractionPageDto>;
  /** `GET /queue-times`: one page of the queue visits in a time window. */
  getQueueTimes(params: QueueTimesParams, caller: UpstreamCaller): Promise<QueueVisitPageDto>;
  /** Each known token's window of requests in flight (metrics), in no order and unlabelled. */
  tokenWindows(): number[];
  close(): Promise<void>;
}

/** A kept answer (UPSTREAM_CACHE_SECONDS), one in flight joined (UPSTREAM_DEDUPLICATE), or sent. */
export type SharedResult = 'hit' | 'shared' | 'miss';

/** What one endpoint's 200 answer is made into, and its 404's value where 404 is an answer. */
interface Endpoint<T> {
  /** Its name in metrics, traces and logs. */
  name: string;
  parse: (body: string) => T;
  notFound?: () => T;
}

const INTERACTION: Endpoint<InteractionDto | null> = {
  name: 'interaction',
  parse: parseInteraction,
  notFound: () => null,
};
const INTERACTIONS: Endpoint<InteractionPageDto> = {
  name: 'interactions',
  parse: parseInteractionPage,
};
const ONGOING: Endpoint<InteractionPageDto> = { name: 'ongoing', parse: parseInteractionPage };
const QUEUE_TIMES: Endpoint<QueueVisitPageDto> = {
  name: 'queue-times',
  parse: parseQueueVisitPage,
};

/**
 * The Stats API client: each request answered from the token's kept answers when they are on,
 * else joined to the same request in flight when that is on, else made with retries, each
 * attempt holding a limiter slot for just as long as its HTTP exchange lasts.
 */
export function createStatsClient(options: StatsClientOptions): StatsClient {
  const upstream: Upstream = {
    http: createStatsHttp(options),
    limiter: new UpstreamLimiter({
      concurrency: options.concurrency,
      perKey: options.concurrencyPerToken,
      perKeyMin: options.concurrencyPerTokenMin,
      queue: options.queue,
      queuePerKey: options.queuePerToken,
      onDecrease: options.onWindowDecrease,
    }),
    options,
  };
  const count = options.onShared ?? (() => {});
  const kept =
    options.cacheSeconds > 0
      ? createSharedAnswers({
          maxAgeSeconds: options.cacheSeconds,
          maxBytes: options.cacheBytes,
          onHit: () => count('hit'),
        })
      : undefined;
  const inFlight = options.deduplicate
    ? createInFlightRequests({ onJoin: (joined) => count(joined ? 'shared' : 'miss') })
    : undefined;

  function call<T>(endpoint: Endpoint<T>, path: string, caller: UpstreamCaller): Promise<T> {
    const key = `${caller.tokenKey} ${path}`;
    const send = (keep?: Keep<T>): Promise<T> => {
      if (inFlight) {
        return inFlight.join(key, caller, (exchange) =>
          withRetries(upstream, endpoint, path, exchange, keep),
        );
      }
      count('miss');
      return withRetries(upstream, endpoint, path, caller, keep);
    };
    return kept ? kept.get(key, send) : send();
  }

  return {
    getInteraction(guid, caller) {
      return call(INTERACTION, `interactions/${encodeURIComponent(guid)}`, caller);
    },
    getInteractions({ start, end, include, page, limit }, caller) {
      const query = { start, include, page, limit, ...(end === undefined ? {} : { end }) };
      return call(INTERACTIONS, `interactions?${search(query)}`, caller);
    },
    getOngoingInteractions({ page, limit }, caller) {
      return call(ONGOING, `interactions/ongoing?${search({ page, limit })}`, caller);
    },
    getQueueTimes({ start, end, include, page, limit, queues, queueType }, caller) {
      const query = {
        start,
        ...(end === undefined ? {} : { end }),
        include,
        ...(queues === undefined ? {} : { queues: queues.join(',') }),
        queueType,
        page,
        limit,
      };
      return call(QUEUE_TIMES, `queue-times?${search(query)}`, caller);
    },
    tokenWindows() {
      return upstream.limiter.windows();
    },
    close() {
      upstream.http.close();
      return Promise.resolve();
    },
  };
}

/** What every request's attempts share. */
interface Upstream {
  http: StatsHttp;
  limiter: UpstreamLimiter;
  options: StatsClientOptions;
}

/**
 * A GET with retries: the endpoint's value, or the UpstreamError of the last attempt. Each
 * failed attempt is logged once, with its status, duration and the retries so far.
 */
async function withRetries<T>(
  upstream: Upstream,
  endpoint: Endpoint<T>,
  path: string,
  caller: UpstreamCaller,
  keep?: Keep<T>,
): Promise<T> {
  const { limiter, options } = upstream;
  for (let retries = 0; ; retries++) {
    let started = 0;
    let failure: UpstreamError;
    try {
      const answer = await limiter.run(
        caller.tokenKey,
        caller.signal,
        () => {
          started = performance.now();
          return attempt(upstream, endpoint.name, path, caller);
        },
        outcomeOf,
      );
      return valueOf(endpoint, answer, keep);
    } catch (error) {
      failure =
        error instanceof UpstreamError ? error : fromRequestError(error, options.maxResponseBytes);
    }
    const delayMs = retryDelayMs(failure, retries, options.retries, caller.deadline);
    const level = failure.kind === 'CANCELLED' || failure.kind === 'BUSY' ? 'info' : 'warn';
    caller.logger[level](
      {
        endpoint: endpoint.name,
        kind: failure.kind,
        status: failure.details.status,
        durationMs: started && Math.round(performance.now() - started),
        retries,
        retryInMs: delayMs === undefined ? undefined : Math.round(delayMs),
      },
      'upstream failure',
    );
    if (delayMs === undefined) throw failure;
    caller.usage.retries++;
    try {
      await sleep(delayMs, undefined, { signal: caller.signal });
    } catch {
      throw abortedError(caller.signal);
    }
  }
}

/** One attempt: the answer with any status, or the UpstreamError of why none came. */
async function attempt(
  { http, options }: Upstream,
  endpoint: string,
  path: string,
  caller: UpstreamCaller,
): Promise<Answer> {
  caller.usage.calls++;
  const started = performance.now();
  const observe = (status: string) => {
    const ended = performance.now();
    options.observe?.(endpoint, status, (ended - started) / 1000);
    const timeOrigin = performance.timeOrigin;
    caller.onAttempt?.(endpoint, status, timeOrigin + started, timeOrigin + ended);
  };
  try {
    if (caller.signal.aborted) throw abortedError(caller.signal);
    const answer = await http.get(path, caller);
    observe(String(answer.statusCode));
    return answer;
  } catch (error) {
    const failure = caller.signal.aborted
      ? abortedError(caller.signal)
      : fromRequestError(error, options.maxResponseBytes);
    observe(failure.kind);
    throw failure;
  }
}

/**
 * What an answer tells the token's window: upstream asks this token to slow down with a 429 (its
 * fair-usage limit), or with a 503 that says when to come back. Other failures are not about how
 * much the token asks for.
 */
function outcomeOf({ statusCode, headers }: Answer): Outcome {
  const slowDown =
    statusCode === 429 || (statusCode === 503 && headers['retry-after'] !== undefined);
  return slowDown ? 'pushback' : 'answered';
}

/**
 * The endpoint's value for an answer, or the failure its status means. A 200 answer is offered
 * to `keep` with upstream's Cache-Control and Age.
 */
function valueOf<T>(endpoint: Endpoint<T>, answer: Answer, keep?: Keep<T>): T {
  const { statusCode, headers, body } = answer;
  if (statusCode === 404 && endpoint.notFound) return endpoint.notFound();
  if (statusCode !== 200) throw fromStatus(statusCode, headers, body);
  const value = endpoint.parse(body);
  keep?.(
    value,
    { cacheControl: firstValue(headers['cache-control']), age: firstValue(headers.age) },
    body.length,
  );
  return value;
}

function search(query: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) params.set(name, String(value));
  return params.toString();
}
