import http from 'node:http';
import https from 'node:https';
import got, { RequestError, type Response } from 'got';
import { UpstreamError } from './errors.js';
import { isRecord, parseInteraction, parseInteractionPage } from './parse.js';
import type { InteractionDto, InteractionPageDto, PageParams, WindowParams } from './types.js';

/** The one API version the gateway speaks; v2's payload differences are undocumented. */
export const STATS_ACCEPT = 'application/vnd.newvoicemedia.v3+json';

export interface StatsClientOptions {
  /** Base URL including `/stats`, for example `https://emea.api.newvoicemedia.com/stats`. */
  baseUrl: string;
  timeoutMs: number;
}

/** What a call carries of the caller: their `Authorization` header, verbatim, and nothing else. */
export interface CallerCredentials {
  authorization: string;
}

export interface StatsClient {
  /** The interaction, or `null` when upstream answers 404 for this caller. */
  getInteraction(guid: string, caller: CallerCredentials): Promise<InteractionDto | null>;
  /** `GET /interactions`: one page of a time window. */
  getInteractions(params: WindowParams, caller: CallerCredentials): Promise<InteractionPageDto>;
  /** `GET /interactions/ongoing`: one page of the interactions in progress. */
  getOngoingInteractions(
    params: PageParams,
    caller: CallerCredentials,
  ): Promise<InteractionPageDto>;
  close(): void;
}

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
    retry: { limit: 0 },
    throwHttpErrors: false,
    // A redirect would carry the caller's token to wherever upstream points: never follow one.
    followRedirect: false,
    responseType: 'text',
  });

  async function get(
    path: string,
    caller: CallerCredentials,
    searchParams?: Record<string, string | number>,
  ): Promise<Response<string>> {
    try {
      return await request.get(path, {
        headers: { authorization: caller.authorization },
        searchParams,
      });
    } catch (error) {
      throw fromRequestError(error);
    }
  }

  return {
    async getInteraction(guid, caller) {
      const response = await get(`interactions/${encodeURIComponent(guid)}`, caller);
      if (response.statusCode === 404) return null;
      if (response.statusCode !== 200) throw fromStatus(response);
      return parseInteraction(response.body);
    },
    async getInteractions({ start, end, include, page, limit }, caller) {
      const params = { start, include, page, limit, ...(end === undefined ? {} : { end }) };
      const response = await get('interactions', caller, params);
      if (response.statusCode !== 200) throw fromStatus(response);
      return parseInteractionPage(response.body);
    },
    async getOngoingInteractions({ page, limit }, caller) {
      const response = await get('interactions/ongoing', caller, { page, limit });
      if (response.statusCode !== 200) throw fromStatus(response);
      return parseInteractionPage(response.body);
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

function fromRequestError(error: unknown): UpstreamError {
  if (error instanceof RequestError && error.code === 'ETIMEDOUT') {
    return new UpstreamError('TIMEOUT', 'Stats API did not answer in time', { cause: error });
  }
  const code = error instanceof RequestError ? error.code : 'unknown';
  return new UpstreamError('UNAVAILABLE', `Stats API request failed (${code})`, { cause: error });
}

function fromStatus(response: Response<string>): UpstreamError {
  const status = response.statusCode;
  const message = `Stats API answered ${status}`;
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
      return new UpstreamError('RATE_LIMITED', message, {
        status,
        retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
      });
  }
  return new UpstreamError(status >= 500 ? 'UNAVAILABLE' : 'BAD_RESPONSE', message, { status });
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
