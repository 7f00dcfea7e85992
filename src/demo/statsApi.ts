import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionDto } from '../upstream/types.js';
import { interactionsInWindow, ongoingInteractions } from './listing.js';
import { queueTimes, type VirtualQueues } from './queueTimes.js';

// A stand-in for the Insights Stats API, enforcing its documented rules (stats-api.md): a
// versioned Accept header, a bearer token, and its 400/401/404 bodies. `npm start` serves it as
// demo data; the tests and benchmarks drive it, with a request log and injected faults.

/** What one account (one access token) can read. */
export type Accounts = Readonly<Record<string, readonly InteractionDto[]>>;

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string | Buffer }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * Upstream's fair-usage limit, played as a concurrency: a request that arrives while its token
 * has `concurrency[token]` requests being answered is answered 429 at once, with `Retry-After`,
 * and does not count as being answered. Tokens not listed have no limit.
 */
export interface FairUsage {
  concurrency: Readonly<Record<string, number>>;
  retryAfterSeconds: number;
}

export interface StatsApiOptions {
  accounts: Accounts;
  /** Keep every request in `requests` (tests); off for the demo, which runs for days. */
  record?: boolean;
  /** Delay before each answer, as a slow upstream would have. */
  latencyMs?: number;
  fairUsage?: FairUsage;
  /** Queues `GET /queue-times` reports as `Virtual`, with their target time to answer. */
  virtualQueues?: VirtualQueues;
  port?: number;
  host?: string;
}

export interface StatsApi {
  /** Base URL including `/stats`, as STATS_API_URL takes it. */
  url: string;
  requests: RecordedRequest[];
  /** The most requests that were being answered at one time, overall or for one token. */
  peakInFlight(token?: string): number;
  /** Requests being answered now (not yet answered, their connection still open). */
  inFlight(token?: string): number;
  /** Requests answered 429 by the fair-usage limit, overall or for one token. */
  rateLimited(token?: string): number;
  /**
   * Answer requests whose last path segment is `target` (a guid, `interactions`, `ongoing` or
   * `queue-times`)
   * with `fault`, `times` times (forever when omitted).
   */
  inject(target: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  /**
   * Adds an interaction to `token`'s account, or replaces the one with its guid, as processed
   * now: `GET /interactions?include=Processed` returns it for a window holding this moment.
   * An account that did not exist is opened.
   */
  put(token: string, interaction: InteractionDto): void;
  /** The token expires: every request with it is refused with 401 `invalid_token` from now on. */
  revoke(token: string): void;
  close(): Promise<void>;
}

interface Account {
  byGuid: Map<string, string>;
  sorted: InteractionDto[];
  /** When each interaction was last put, for `include=Processed`. */
  processedAt: Map<string, number>;
}

const byStart = (a: InteractionDto, b: InteractionDto) =>
  Date.parse(a.start ?? '') - Date.parse(b.start ?? '');

function account(items: readonly InteractionDto[]): Account {
  return {
    byGuid: new Map(items.map((item) => [item.guid, JSON.stringify(item)])),
    sorted: [...items].sort(byStart),
    processedAt: new Map(),
  };
}

const ACCEPT = /^application\/vnd\.newvoicemedia\.v(\d+)\+json$/;
const ROUTE = /^\/stats\/interactions\/[^/]+$/;
type List = typeof interactionsInWindow;

export async function startStatsApi(options: StatsApiOptions): Promise<StatsApi> {
  const lists = new Map<string, List>([
    ['/stats/interactions', interactionsInWindow],
    ['/stats/interactions/ongoing', ongoingInteractions],
    [
      '/stats/queue-times',
      (listed, query, now) => queueTimes(listed, query, now, options.virtualQueues),
    ],
  ]);
  const byAccount = new Map<string, Account>(
    Object.entries(options.accounts).map(([token, items]) => [token, account(items)]),
  );
  const faults = new Map<string, { fault: Fault; remaining: number }>();
  const requests: RecordedRequest[] = [];
  // Keyed by token; '' counts every request.
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  const count = (key: string, by: number) => {
    const now = (inFlight.get(key) ?? 0) + by;
    inFlight.set(key, now);
    peaks.set(key, Math.max(peaks.get(key) ?? 0, now));
  };

  const limited = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const token = tokenOf(req) ?? '?';
    if (options.fairUsage && overLimit(options.fairUsage, token)) {
      record(req);
      for (const key of ['', token]) limited.set(key, (limited.get(key) ?? 0) + 1);
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(options.fairUsage.retryAfterSeconds),
      });
      res.end(JSON.stringify({ message: 'Too Many Requests' }));
      return;
    }
    count('', 1);
    count(token, 1);
    // Over when the answer is written or the connection is gone, whichever comes first.
    let over = false;
    const end = () => {
      if (over) return;
      over = true;
      count('', -1);
      count(token, -1);
    };
    res.on('finish', end).on('close', end);
    if (options.latencyMs) setTimeout(() => answer(req, res), options.latencyMs);
    else answer(req, res);
  });

  function overLimit(fairUsage: FairUsage, token: string): boolean {
    const limit = fairUsage.concurrency[token];
    return limit !== undefined && (inFlight.get(token) ?? 0) >= limit;
  }

  function record(req: IncomingMessage): void {
    if (options.record) {
      requests.push({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers });
    }
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    record(req);
    const refusal = refuse(req, byAccount);
    if (refusal) {
      send(res, refusal.status, refusal.body);
      return;
    }
    const url = new URL(path, 'http://stand-in');
    const target = lastSegment(url.pathname);
    if (target === undefined) {
      send(res, 404, { message: 'Not Found' });
      return;
    }
    const injected = faults.get(target);
    if (injected) {
      if (--injected.remaining <= 0) faults.delete(target);
      applyFault(injected.fault, res);
      return;
    }
    // refuse() has checked the token, so its account exists.
    const account = byAccount.get(tokenOf(req) as string) as Account;
    const list = lists.get(url.pathname);
    if (req.method === 'GET' && list) {
      const { status, body } = list(account, url.searchParams, Date.now());
      send(res, status, body);
      return;
    }
    if (req.method !== 'GET' || !ROUTE.test(url.pathname)) {
      send(res, 404, { message: 'Not Found' });
      return;
    }
    const body = account.byGuid.get(target);
    if (body === undefined) send(res, 404, { message: 'Interaction not found' });
    else send(res, 200, body);
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stats`,
    requests,
    peakInFlight: (token = '') => peaks.get(token) ?? 0,
    inFlight: (token = '') => inFlight.get(token) ?? 0,
    rateLimited: (token = '') => limited.get(token) ?? 0,
    inject(target, fault, times = Infinity) {
      faults.set(target, { fault, remaining: times });
    },
    clearFaults() {
      faults.clear();
    },
    put(token, interaction) {
      const into = byAccount.get(token) ?? account([]);
      byAccount.set(token, into);
      const copy = structuredClone(interaction);
      into.byGuid.set(copy.guid, JSON.stringify(copy));
      into.sorted = [...into.sorted.filter((item) => item.guid !== copy.guid), copy].sort(byStart);
      into.processedAt.set(copy.guid, Date.now());
    },
    revoke(token) {
      byAccount.delete(token);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The path's last segment, decoded; `undefined` for a malformed escape such as `%E0%A4%A`. */
function lastSegment(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
  } catch {
    return undefined;
  }
}

function tokenOf(req: IncomingMessage): string | undefined {
  return /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** The documented 400 and 401 answers, checked in upstream's order: version, then token. */
function refuse(
  req: IncomingMessage,
  accounts: Map<string, unknown>,
): { status: number; body: object } | undefined {
  const version = ACCEPT.exec(req.headers.accept ?? '')?.[1];
  if (version === undefined) {
    return {
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'Invalid Accept header!' },
    };
  }
  if (version !== '2' && version !== '3') {
    return {
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid api-version! Valid values: 2,3',
      },
    };
  }
  if (!req.headers.authorization) {
    return {
      status: 401,
      body: { error_description: 'The access token is missing', error: 'invalid_request' },
    };
  }
  const token = tokenOf(req);
  if (token === undefined || !accounts.has(token)) {
    return {
      status: 401,
      body: {
        error_description: 'The access token is invalid or has expired',
        error: 'invalid_token',
      },
    };
  }
  return undefined;
}

function applyFault(fault: Fault, res: ServerResponse): void {
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ message: `Injected ${fault.status}` }));
      return;
    case 'hang':
      return; // never answers; close() ends the connection
    case 'malformed':
      send(res, 200, '{"guid": "0000');
      return;
    case 'reset':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"guid":');
      res.destroy();
      return;
  }
}

function send(res: ServerResponse, status: number, body: string | object): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'max-age=5, must-revalidate, private',
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
