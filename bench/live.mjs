import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { random } from '../dist/demo/demoData.js';
import { startStatsApi } from '../dist/demo/statsApi.js';
import { changeCalls, startingCalls } from './callChanges.mjs';
import { processCpuMs, rssMiB } from './procfs.mjs';
import { killAll, request } from './processes.mjs';
import { startGateway, stopGateway } from './servers.mjs';

// `npm run bench:live`: what live dashboards cost the gateway. 1,000 subscribers over 50
// tokens (each token: 10 on ongoingInteractions, 10 on interactionUpdates, one socket each) on
// one gateway process (`node dist/index.js`), against the stand-in Stats API in this process.
// Measured from /proc: the gateway's memory and CPU idle without subscribers, idle with them
// (the pollers run, nothing changes), and while every token's calls change once per interval;
// and the Stats API polls per interval, which must be tokens x endpoints subscribed.
// Settings: LIVE_BENCH_TOKENS (50), LIVE_BENCH_SUBSCRIBERS (1000), LIVE_POLL_MS (2000),
// LIVE_BENCH_SECONDS per phase (20), LIVE_BENCH_SNAPSHOTS (1; 0 for the resident set alone).

const env = process.env;
const TOKENS = Number(env.LIVE_BENCH_TOKENS ?? 50);
const SUBSCRIBERS = Number(env.LIVE_BENCH_SUBSCRIBERS ?? 1000);
const POLL_MS = Number((env.LIVE_POLL_MS ??= '2000'));
const PHASE_S = Number(env.LIVE_BENCH_SECONDS ?? 20);
const log = (text) => process.stderr.write(`${text}\n`);

const ONGOING = `subscription { ongoingInteractions(limit: 100) { totalCount upTo items {
  guid direction start serviceName connectFrom metrics { queueTime timeToAnswer }
  channels { start party { role id } } } } }`;
const UPDATES = `subscription { interactionUpdates { guid status direction start end duration
  serviceName outcome metrics { queueTime timeToAnswer talkTime agentCount } } }`;

const tokens = Array.from({ length: TOKENS }, (_, i) => `live-bench-${i}`);
const next = random(42);
// Five calls in progress per token to begin with.
const calls = startingCalls(tokens, next);
const api = await startStatsApi({
  accounts: Object.fromEntries([...calls].map(([t, list]) => [t, list])),
  record: true,
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'live-bench-'));
// A heap snapshot begins with a full garbage collection: taken on a signal, it lets the heap
// in use be read without the garbage that happens to be waiting (the snapshot is discarded).
// The snapshots inflate the resident set, so LIVE_BENCH_SNAPSHOTS=0 measures that without them.
const SNAPSHOTS = env.LIVE_BENCH_SNAPSHOTS !== '0';
if (SNAPSHOTS) {
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
}
const gateway = await startGateway({ url: api.url }, { logLevel: 'warn' }, dir);
const pid = gateway.child.pid;
const url = `${gateway.origin.replace('http', 'ws')}/graphql`;

/** The gateway's JavaScript heap in use after a full collection (MiB), from its /metrics. */
async function heapMiB() {
  const snapshots = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  const before = snapshots().length;
  if (SNAPSHOTS) process.kill(pid, 'SIGUSR2');
  while (SNAPSHOTS && snapshots().length === before) await sleep(100);
  if (SNAPSHOTS) {
    const file = path.join(dir, snapshots().at(-1));
    for (let size = -1; statSync(file).size !== size; await sleep(500)) size = statSync(file).size;
    if (env.LIVE_BENCH_KEEP_SNAPSHOTS) log(`heap snapshot: ${file}`);
    else rmSync(file);
  }
  const { body } = await request(`${gateway.origin}/metrics`);
  const line = body.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes '));
  return Number(line?.split(' ')[1]) / 2 ** 20;
}

/** The gateway's CPU (ms) and memory (MiB) over `seconds`, and the polls meanwhile. */
async function phase(name, seconds, during = async () => {}) {
  const polls = (kind) => api.requests.filter((r) => r.path.startsWith(kind)).length;
  const [cpu0, p0, o0, e0] = [
    processCpuMs(pid),
    polls('/stats/interactions?'),
    polls('/stats/interactions/ongoing'),
    events,
  ];
  const started = performance.now();
  const stopping = { done: false };
  const driving = during(stopping);
  await sleep(seconds * 1000);
  stopping.done = true;
  await driving;
  const elapsedS = (performance.now() - started) / 1000;
  const result = {
    name,
    cpuMsPerS: (processCpuMs(pid) - cpu0) / elapsedS,
    rssMiB: rssMiB(pid),
    pollsPerInterval: {
      interactions: ((polls('/stats/interactions?') - p0) * POLL_MS) / 1000 / elapsedS,
      ongoing: ((polls('/stats/interactions/ongoing') - o0) * POLL_MS) / 1000 / elapsedS,
    },
    eventsPerS: (events - e0) / elapsedS,
  };
  // Outside the measured window: the snapshot holds the gateway up for a moment.
  result.heapMiB = await heapMiB();
  await sleep(POLL_MS * 2);
  log(`${name}: ${JSON.stringify(result)}`);
  return result;
}

let events = 0;
let stopping = false;
const clients = [];
try {
  await sleep(2000);
  const empty = await phase('no subscribers', PHASE_S / 2);

  const firstPages = new Set();
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const token = tokens[i % TOKENS];
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const ongoing = Math.floor(i / TOKENS) % 2 === 0;
    client.subscribe(
      { query: ongoing ? ONGOING : UPDATES },
      {
        next: () => {
          events++;
          firstPages.add(i);
        },
        error: (error) => stopping || log(`subscriber ${i} failed: ${JSON.stringify(error)}`),
        complete: () => stopping || log(`subscriber ${i} completed`),
      },
    );
    if (i % 100 === 99) await sleep(50);
  }
  while (firstPages.size < SUBSCRIBERS / 2) await sleep(100);
  await sleep(POLL_MS * 2);
  const idle = await phase('1,000 subscribers, nothing changing', PHASE_S);

  // Every interval, each token: one call answered, one ended, one new.
  const changing = await phase(
    'every token changing once per interval',
    PHASE_S,
    async (stopping) => {
      while (!stopping.done) {
        changeCalls(calls, next, (token, call) => api.put(token, call));
        await sleep(POLL_MS);
      }
    },
  );

  const perSubscriber = (value) => value / SUBSCRIBERS;
  const report = {
    settings: { tokens: TOKENS, subscribers: SUBSCRIBERS, pollMs: POLL_MS, phaseSeconds: PHASE_S },
    memoryPerIdleSubscriberKiB: {
      resident: perSubscriber((idle.rssMiB - empty.rssMiB) * 1024),
      heap: perSubscriber((idle.heapMiB - empty.heapMiB) * 1024),
    },
    cpuPerIdleSubscriberMsPerS: perSubscriber(idle.cpuMsPerS - empty.cpuMsPerS),
    cpuPerPollMs:
      (idle.cpuMsPerS - empty.cpuMsPerS) /
      ((idle.pollsPerInterval.interactions + idle.pollsPerInterval.ongoing) * (1000 / POLL_MS)),
    cpuPerDeliveredUpdateMs: (changing.cpuMsPerS - idle.cpuMsPerS) / changing.eventsPerS,
    memoryWhileChangingMiB: {
      resident: changing.rssMiB - idle.rssMiB,
      heap: changing.heapMiB - idle.heapMiB,
    },
    pollsPerInterval: idle.pollsPerInterval,
    expectedPollsPerInterval: { interactions: TOKENS, ongoing: TOKENS },
    phases: { empty, idle, changing },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  stopping = true;
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await stopGateway(gateway).catch((error) => log(String(error)));
  await api.close();
  if (!env.LIVE_BENCH_KEEP_SNAPSHOTS) rmSync(dir, { recursive: true, force: true });
  killAll();
}
