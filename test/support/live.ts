import {
  createClient,
  type Client,
  type ClientOptions,
  type FormattedExecutionResult,
} from 'graphql-ws';
import WebSocket from 'ws';
import { parseConfig, type LiveConfig } from '../../src/config.js';
import type { Accounts } from '../../src/demo/statsApi.js';
import { AUTH, startHarness, type Harness } from './harness.js';
import { waitFor } from './wait.js';

// Clients for the gateway's WebSocket side: graphql-ws's own client over `ws`, as a dashboard
// in Node would use it, and a bare socket for what a protocol client would never do.

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client that never retries (a test wants to see each close), with `AUTH` by default. */
export function liveClient(
  httpUrl: string,
  connectionParams: Record<string, unknown> = { Authorization: AUTH.authorization },
  options: Partial<ClientOptions> = {},
): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    ...options,
  });
}

type Result = FormattedExecutionResult<Record<string, unknown>>;

/** One subscription's results as they arrive. */
export interface Subscription {
  results: Result[];
  /** What ended it with an error (a close event or the errors of an `error` message). */
  error: unknown;
  completed: boolean;
  /** Resolves once `count` results have arrived; fails with what did arrive after `timeoutMs`. */
  waitForResults(count: number, timeoutMs?: number): Promise<Result[]>;
  /** Resolves once it has completed or failed. */
  ended(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export function subscribe(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Subscription {
  const subscription: Subscription = {
    results: [],
    error: undefined,
    completed: false,
    async waitForResults(count, timeoutMs = 5000) {
      try {
        await waitFor(() => subscription.results.length >= count, timeoutMs);
      } catch {
        const seen = JSON.stringify({ results: subscription.results, error: subscription.error });
        throw new Error(`expected ${count} results, got: ${seen.slice(0, 2000)}`);
      }
      return subscription.results;
    },
    async ended(timeoutMs = 5000) {
      await waitFor(() => subscription.completed || subscription.error !== undefined, timeoutMs);
    },
    unsubscribe: () => {},
  };
  subscription.unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (result) => subscription.results.push(result as Result),
      error: (error) => (subscription.error = error ?? 'error'),
      complete: () => (subscription.completed = true),
    },
  );
  return subscription;
}

/** A bare socket speaking `graphql-transport-ws`, and how it was closed. */
export function rawSocket(
  httpUrl: string,
  headers: Record<string, string> = {},
): { socket: WebSocket; messages: unknown[]; closed: Promise<{ code: number; reason: string }> } {
  const socket = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws', { headers });
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    socket.on('error', () => {});
  });
  return { socket, messages, closed };
}

/** A harness whose live feeds poll every `pollMs` (below LIVE_POLL_MS's minimum, for speed). */
export async function liveHarness(
  accounts: Accounts,
  options: {
    pollMs?: number;
    env?: Record<string, string>;
    live?: Partial<LiveConfig>;
    latencyMs?: number;
  } = {},
): Promise<Harness> {
  const { pollMs = 250, env = {}, live = {}, latencyMs } = options;
  const defaults = parseConfig(env).live;
  return startHarness(accounts, {
    env,
    latencyMs,
    overrides: { live: { ...defaults, pollMs, ...live } },
  });
}

/** One sample of the gateway's /metrics, e.g. `name{a="b"}`; 0 when it is not there. */
export async function metric(
  harness: { gateway: { url: string } },
  series: string,
): Promise<number> {
  const text = await (await fetch(new URL('/metrics', harness.gateway.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
