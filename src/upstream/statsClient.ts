import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import got, { RequestError, type Response } from 'got';
import type { UpstreamConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { abortedError, UpstreamError } from './errors.js';
import { UpstreamLimiter } from './limiter.js';
import { isRecord, parseInteraction, parseInteractionPage } from './parse.js';
import type { InteractionDto, InteractionPageDto, PageParams, WindowParams } from './types.js';

/** The one API version the gateway speaks; v2's payload differences are undocumented. */
export const STATS_ACCEPT = 'application/vnd.newvoicemedia.v3+json';

export interface StatsClientOptions extends UpstreamConfig {
  /** Base URL including `/stats`, for example `https://emea.api.newvoicemedia.com/stats`. */
  baseUrl: string;
  /** Told of every attempt: its status, or its failure kind when no status came (metrics). */
  observe?: (endpoint: string, status: string, seconds: number) => void;
}

/**
 * One operation's side of a call. Of the caller it carries only their `Authorization` header,
 * sent verbatim; the rest is the operation's own: its request id (sent as `x-request-id`), its
 * signal (aborted at its deadline or when its caller disconnects), its logger and counters.
 */
export interface UpstreamCaller {
  authorization: string;
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
  close(): void;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// A connection dropped or refused before a whole answer arrived; safe to repeat, as every call
// is a GET.
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

export function createStatsClient(options: StatsClientOptions): StatsClient {
  const agent = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  const request = got.extend({
    prefixUrl: options.baseUrl,
    headers: { accept: STATS_ACCEPT, 'user-agent': 'stats-gateway' },
    timeout: { request: options.timeoutMs },
    agent,
    // Retries are ours (below): got's would not know the operation's deadline or the limiter.
    retry: { limit: 0 },
    throwHttpErrors: false,
    // A redirect would carry the caller's token to wherever upstream points: never follow one.
    followRedirect: false,
    responseType: 'text',
  });
  const limiter = new UpstreamLimiter({
    concurrency: options.concurrency,
    perKey: options.concurrencyPerToken,
    queue: options.queue,
    queuePerKey: options.queuePerToken,
  });

  /** One attempt, holding a limiter slot for just as long as the HTTP exchange lasts. */
  async function attempt(
    endpoint: string,
    path: string,
    caller: UpstreamCaller,
    searchParams: Record<string, string | number> | undefined,
  ): Promise<Response<string>> {
    caller.usage.calls++;
    const started = performance.now();
    const observe = (status: string) => {
      const ended = performance.now();
      options.observe?.(endpoint, status, (ended - started) / 1000);
      const origin = performance.timeOrigin;
      caller.onAttempt?.(endpoint, status, origin + started, origin + ended);
    };
    const pending = request.get(path, {
      headers: { authorization: caller.authorization, 'x-request-id': caller.requestId },
      searchParams,
      signal: caller.signal,
    });
    let tooLarge = false;
    pending.on('downloadProgress', ({ transferred }: { transferred: number }) => {
      if (transferred > options.maxResponseBytes && !tooLarge) {
        tooLarge = true;
        pending.cancel();
      }
    });
    try {
      const response = await pending;
      observe(String(response.statusCode));
      return response;
    } catch (error) {
      const failure = caller.signal.aborted
        ? abortedError(caller.signal)
        : tooLarge
          ? new UpstreamError(
              'BAD_RESPONSE',
              `Stats API body is over UPSTREAM_MAX_RESPONSE_BYTES (${options.maxResponseBytes})`,
            )
          : fromRequestError(error);
      observe(failure.kind);
      throw failure;
    }
  }

  /**
   * A GET with retries: the answer as `read` makes it, or the UpstreamError of the last attempt.
   * Each failed attempt is logged once, with its status, duration and the retries so far.
   */
  async function call<T>(
    endpoint: string,
    path: string,
    caller: UpstreamCaller,
    read: (response: Response<string>) => T,
    searchParams?: Record<string, string | number>,
  ): Promise<T> {
    for (let retries = 0; ; retries++) {
      let started = 0;
      let failure: UpstreamError;
      try {
        const response = await limiter.run(caller.authorization, caller.signal, () => {
          started = performance.now();
          return attempt(endpoint, path, caller, searchParams);
        });
        return read(response);
      } catch (error) {
        failure = error instanceof UpstreamError ? error : fromRequestError(error);
      }
      const delayMs = retryDelayMs(failure, retries, options.retries, caller.deadline);
      const level = failure.kind === 'CANCELLED' || failure.kind === 'BUSY' ? 'info' : 'warn';
      caller.logger[level](
        {
          endpoint,
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

  return {
    getInteraction(guid, caller) {
      return call('interaction', `interactions/${encodeURIComponent(guid)}`, caller, (response) => {
        if (response.statusCode === 404) return null;
        if (response.statusCode !== 200) throw fromStatus(response);
        return parseInteraction(response.body);
      });
    },
    getInteractions({ start, end, include, page, limit }, caller) {
      const params = { start, include, page, limit, ...(end === undefined ? {} : { end }) };
      return call('interactions', 'interactions', caller, readPage, params);
    },
    getOngoingInteractions({ page, limit }, caller) {
      return call('ongoing', 'interactions/ongoing', caller, readPage, { page, limit });
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

function readPage(response: Response<string>): InteractionPageDto {
  if (response.statusCode !== 200) throw fromStatus(response);
  return parseInteractionPage(response.body);
}

/**
 * How long to wait before the next attempt, or `undefined` to fail now: the failure is not
 * worth repeating, the retries are used up, or the wait would not end before the deadline.
 * Upstream's `Retry-After` is honoured as given; otherwise exponential backoff with full
 * jitter, so that callers who failed together do not all come back together.
 */
export function retryDelayMs(
  failure: UpstreamError,
  retries: number,
  maxRetries: number,
  deadline: number,
  now = Date.now(),
  random = Math.random,
): number | undefined {
  const { status, code, retryAfterSeconds } = failure.details;
  const retryable =
    status === undefined ? code !== undefined && RETRY_CODES.has(code) : RETRY_STATUSES.has(status);
  if (!retryable || retries >= maxRetries) return undefined;
  const delay =
    retryAfterSeconds === undefined
      ? random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries)
      : retryAfterSeconds * 1000;
  return now + delay < deadline ? delay : undefined;
}

function fromRequestError(error: unknown): UpstreamError {
  const code = error instanceof RequestError ? error.code : 'unknown';
  if (code === 'ETIMEDOUT') {
    return new UpstreamError('TIMEOUT', 'Stats API did not answer in time', { code, cause: error });
  }
  return new UpstreamError('UNAVAILABLE', `Stats API request failed (${code})`, {
    code,
    cause: error,
  });
}

function fromStatus(response: Response<string>): UpstreamError {
  const status = response.statusCode;
  const message = `Stats API answered ${status}`;
  const retryAfter = retryAfterSeconds(response.headers['retry-after']);
  switch (status) {
    case 400:
      return new UpstreamError('BAD_REQUEST', message, {
        status,
        upstreamMessage: upstreamMessage(response.body),
      });
    case 401:
      return new UpstreamError('UNAUTHORIZED', message, { status });
    case 403:
      return new UpstreamError('FORBIDDEN', message, { status });
    case 429:
      return new UpstreamError('RATE_LIMITED', message, { status, retryAfterSeconds: retryAfter });
  }
  if (status >= 500) {
    return new UpstreamError('UNAVAILABLE', message, { status, retryAfterSeconds: retryAfter });
  }
  return new UpstreamError('BAD_RESPONSE', message, { status });
}

// Error bodies come in three shapes ({message}, {statusCode,error,message} and OAuth's
// {error,error_description}); only the human-readable text is kept, never the body itself.
function upstreamMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const text = parsed.message ?? parsed.error_description;
  if (typeof text !== 'string') return undefined;
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function retryAfterSeconds(
  header: string | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
