import { Buffer } from 'node:buffer';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { random } from '../dist/demo/demoData.js';
import { startStatsApi } from '../dist/demo/statsApi.js';
import { changeCalls, startingCalls } from './callChanges.mjs';
import { processCpuMs } from './procfs.mjs';
import { killAll } from './processes.mjs';
import { startGateway, stopGateway } from './servers.mjs';

// `npm run bench:fleet` (and the last part of `npm run bench`): what a fleet of wallboards costs
// upstream and the gateway. FLEET_BOARDS wallboards (200) over FLEET_TOKENS tokens (10), each
// showing its token's calls in progress and the details of one of them, while every token's
// calls change once per 5 s (one answered, one ended, one new). Measured twice, each time on a
// fresh gateway (`node dist/index.js`, default settings): as the polling clients of today (each
// tab asks for both every 5 s, the tabs spread over the interval), and with subscriptions (each
// tab subscribes to ongoingInteractions and asks for the details once per change it is sent).
// Reported per minute: Stats API requests and the gateway's CPU. FLEET_SECONDS per mode (60).

const env = process.env;
const TOKENS = Number(env.FLEET_TOKENS ?? 10);
const BOARDS = Number(env.FLEET_BOARDS ?? 200);
const SECONDS = Number(env.FLEET_SECONDS ?? 60);
const INTERVAL_MS = 5000;
const log = (text) => process.stderr.write(`${text}\n`);

const CALLS = `{ guid direction start serviceName connectFrom metrics { queueTime timeToAnswer }
  channels { start party { role id } } }`;
const ONGOING_QUERY = `query Ongoing { ongoingInteractions(limit: 100) { totalCount items ${CALLS} } }`;
const ONGOING_SUBSCRIPTION = `subscription Ongoing { ongoingInteractions(limit: 100) {
  totalCount items ${CALLS} } }`;
const DETAILS = `query Details($guid: ID!) { interaction(guid: $guid) { guid status start end
  metrics { queueTime ringTime talkTime timeToAnswer } channels { party { role id }
  events { __typename type at duration } } } }`;

const tokens = Array.from({ length: TOKENS }, (_, i) => `fleet-${i}`);
const next = random(7);

/** Calls in progress per token, changing once per interval until the returned stop is called. */
function callActivity(api) {
  const calls = startingCalls(tokens, next);
  const put = (token, call) => api.put(token, call);
  for (const [token, list] of calls) for (const call of list) put(token, call);
  const timer = setInterval(() => changeCalls(calls, next, put), INTERVAL_MS);
  return () => clearInterval(timer);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One POST to the gateway, its `data` (or a thrown error naming what came back). */
function post(origin, token, query, variables) {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${origin}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let answer;
          try {
            answer = JSON.parse(text);
          } catch {
            reject(new Error(`HTTP ${res.statusCode}, not JSON: ${text.slice(0, 300)}`));
            return;
          }
          if (answer.errors) reject(new Error(JSON.stringify(answer.errors).slice(0, 300)));
          else resolve(answer.data);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const firstGuid = (page) => page?.items?.[0]?.guid;

/** Each tab: both queries every interval, starting at its own offset within it. */
function pollingBoards(origin, stopping, failures) {
  return Array.from({ length: BOARDS }, async (_, i) => {
    const token = tokens[i % TOKENS];
    await sleep((i / BOARDS) * INTERVAL_MS);
    while (!stopping.done) {
      const started = performance.now();
      try {
        const { ongoingInteractions } = await post(origin, token, ONGOING_QUERY);
        const guid = firstGuid(ongoingInteractions);
        if (guid) await post(origin, token, DETAILS, { guid });
      } catch (error) {
        failures.push(String(error));
      }
      await sleep(Math.max(0, INTERVAL_MS - (performance.now() - started)));
    }
  });
}

/** Each tab: a subscription, and the details asked for once per page it is sent. */
function subscribedBoards(origin, stopping, failures) {
  const url = `${origin.replace('http', 'ws')}/graphql`;
  const clients = [];
  for (let i = 0; i < BOARDS; i++) {
    const token = tokens[i % TOKENS];
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    client.subscribe(
      { query: ONGOING_SUBSCRIPTION },
      {
        next: ({ data }) => {
          const guid = firstGuid(data?.ongoingInteractions);
          if (guid && !stopping.done) {
            post(origin, token, DETAILS, { guid }).catch((e) => failures.push(String(e)));
          }
        },
        error: (error) => stopping.done || failures.push(JSON.stringify(error)),
        complete: () => {},
      },
    );
  }
  return clients;
}

/** One mode on a fresh gateway: Stats API requests and gateway CPU over SECONDS, per minute. */
async function measureMode(name, api, dir) {
  const gateway = await startGateway({ url: api.url }, { logLevel: 'warn' }, dir);
  const stopping = { done: false };
  const failures = [];
  const pid = gateway.child.pid;
  let boards = [];
  let clients = [];
  try {
    if (name === 'polling') boards = pollingBoards(gateway.origin, stopping, failures);
    else clients = subscribedBoards(gateway.origin, stopping, failures);
    // A whole interval to settle: every tab has loaded once, every poller has started.
    await sleep(INTERVAL_MS * 2);
    const [cpu0, calls0, started] = [processCpuMs(pid), api.requests.length, performance.now()];
    await sleep(SECONDS * 1000);
    const minutes = (performance.now() - started) / 60_000;
    const result = {
      mode: name,
      upstreamCallsPerMinute: Math.round((api.requests.length - calls0) / minutes),
      gatewayCpuMsPerMinute: Math.round((processCpuMs(pid) - cpu0) / minutes),
      failures: failures.length,
      firstFailure: failures[0],
    };
    log(`${name}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    stopping.done = true;
    await Promise.allSettled(boards);
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await stopGateway(gateway).catch((error) => log(String(error)));
  }
}

const api = await startStatsApi({ accounts: {}, record: true });
const stopCalls = callActivity(api);
const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
try {
  const polling = await measureMode('polling', api, dir);
  const subscriptions = await measureMode('subscriptions', api, dir);
  const report = {
    settings: { tokens: TOKENS, boards: BOARDS, seconds: SECONDS, intervalMs: INTERVAL_MS },
    node: process.version,
    polling,
    subscriptions,
    upstreamRatio: subscriptions.upstreamCallsPerMinute / polling.upstreamCallsPerMinute,
    cpuRatio: subscriptions.gatewayCpuMsPerMinute / polling.gatewayCpuMsPerMinute,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  stopCalls();
  agent.destroy();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  killAll();
}
