import { Writable } from 'node:stream';
import { parseConfig, type Config } from '../../src/config.js';
import {
  startStatsApi,
  type Accounts,
  type FairUsage,
  type StatsApi,
} from '../../src/demo/statsApi.js';
import type { VirtualQueues } from '../../src/demo/queueTimes.js';
import { startGateway, type Gateway, type ProcessParts } from '../../src/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

export type LogLine = Record<string, unknown> & { msg?: string; requestId?: string; code?: string };

export interface Harness {
  api: StatsApi;
  gateway: Gateway;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  /** The same, parsed: one object per JSON line. */
  logLines(): LogLine[];
  query(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  /** As `query`, but fails with the query, response and request id if there are errors. */
  data(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  /** Upstream requests recorded so far. */
  upstreamCalls(): number;
  /** Forgets the upstream requests recorded so far and every injected fault. */
  reset(): void;
  stop(): Promise<void>;
}

/** One GraphQL request over HTTP, as a client POSTs it. */
export async function postGraphQL(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string>,
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse['body'],
  };
}

export const TOKEN = 'token-a';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A stand-in Stats API and a gateway in front of it, both on loopback port 0. */
export interface HarnessOptions {
  /** Environment for parseConfig, as an operator would set it. */
  env?: Record<string, string>;
  /** Config fields to force, such as an unreachable statsApiUrl. */
  overrides?: Partial<Config>;
  /** The stand-in's delay before each answer. */
  latencyMs?: number;
  /** The stand-in's fair-usage limit: 429 above a concurrency per token. */
  fairUsage?: FairUsage;
  /** Queues the stand-in's `GET /queue-times` reports as `Virtual`, with their targets. */
  virtualQueues?: VirtualQueues;
  /** The gateway logger's level; `logs` collects what it writes. */
  logLevel?: string;
  /** What main.ts adds in demo mode, such as the landing page's prefill. */
  parts?: ProcessParts;
}

/**
 * For a suite whose tests each start a harness of their own settings: `start` starts one and
 * `started` returns it (for helpers the tests share); it is stopped after its test.
 */
export function harnessPerTest(): { start: typeof startHarness; started: () => Harness } {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return {
    async start(...args) {
      current = await startHarness(...args);
      return current;
    },
    started() {
      if (!current) throw new Error('start the harness first');
      return current;
    },
  };
}

export async function startHarness(
  accounts: Accounts,
  {
    env = {},
    overrides = {},
    latencyMs = 0,
    logLevel = 'info',
    fairUsage,
    parts,
    virtualQueues,
  }: HarnessOptions = {},
): Promise<Harness> {
  const api = await startStatsApi({ accounts, record: true, latencyMs, fairUsage, virtualQueues });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = { ...parseConfig({ PORT: '0', ...env }), statsApiUrl: api.url, ...overrides };
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, createLogger(logLevel, sink), parts);
  } catch (error) {
    await api.close(); // a gateway that fails to start must not leave its stand-in running
    throw error;
  }

  const query: Harness['query'] = (text, variables, headers = AUTH) =>
    postGraphQL(gateway.url, text, variables, headers);

  return {
    api,
    gateway,
    logs,
    logLines: () =>
      logs
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    query,
    async data(text, variables, headers) {
      const response = await query(text, variables, headers);
      if (response.body.errors || !response.body.data) {
        throw new Error(
          `Unexpected GraphQL errors (status ${response.status}).\nQuery: ${text}\n` +
            `Variables: ${JSON.stringify(variables)}\nResponse: ${JSON.stringify(response.body, null, 2)}\n` +
            `Logs: ${logs.join('')}`,
        );
      }
      return response.body.data;
    },
    upstreamCalls: () => api.requests.length,
    reset() {
      api.requests.splice(0);
      api.clearFaults();
    },
    async stop() {
      await gateway.stop();
      await api.close();
    },
  };
}
