import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { event, guid, random } from '../dist/demo/demoData.js';
import { startStatsApi } from '../dist/demo/statsApi.js';
import { processCpuMs } from './procfs.mjs';
import { killAll, request } from './processes.mjs';
import { startGateway, stopGateway } from './servers.mjs';

// `npm run bench:queues`: what queue analytics cost. A busy account, QUEUES_BENCH_VISITS
// (50,000) queue visits over the last 30 days, in the stand-in Stats API in this process; the
// gateway (`node dist/index.js`) is measured from /proc. Three things:
//  1. `queueStats` over the month, QUEUES_BENCH_REPORTS (10) times one after the other: the
//     Stats API calls and the gateway's CPU per report;
//  2. `queueStatsUpdates` from 24 hours back, QUEUES_BENCH_SUBSCRIBERS (20) subscribers of the
//     token: the calls and CPU to start one, then per poll while nothing changes (above the
//     gateway's CPU with no subscribers);
//  3. then a call starting or leaving a queue every interval: the CPU per report delivered.
// Settings: LIVE_POLL_MS (2000), QUEUES_BENCH_SECONDS per live phase (20).

const env = process.env;
const VISITS = Number(env.QUEUES_BENCH_VISITS ?? 50_000);
const REPORTS = Number(env.QUEUES_BENCH_REPORTS ?? 10);
const SUBSCRIBERS = Number(env.QUEUES_BENCH_SUBSCRIBERS ?? 20);
const POLL_MS = Number((env.LIVE_POLL_MS ??= '2000'));
const PHASE_S = Number(env.QUEUES_BENCH_SECONDS ?? 20);
const TOKEN = 'queues-bench';
const DAY = 86_400_000;
const QUEUES = ['Sales', 'Billing', 'Support', 'Renewals', 'Complaints'];
const RESULTS = [
  'Delivered',
  'Delivered',
  'Delivered',
  'Delivered',
  'Abandoned',
  'NoAgentsBreakout',
];
const log = (text) => process.stderr.write(`${text}\n`);
const next = random(20);

/** A finished inbound call through one queue, or one waiting there now (`duration` null). */
function call(start, queue, duration, result) {
  const id = guid(next);
  const waiting = duration === null;
  return {
    guid: id,
    status: waiting ? 'Ongoing' : 'Completed',
    medium: 'Phone',
    mediumManager: 'VCC',
    start: new Date(start).toISOString(),
    duration: waiting ? null : duration + 120_000,
    direction: 'Inbound',
    categorizedAt: waiting ? null : new Date(start + duration + 180_000).toISOString(),
    channels: [
      {
        guid: id,
        offset: 0,
        duration: waiting ? null : duration + 120_000,
        party: { id: null, role: 'External', touchpoint: '07700900123' },
        events: [
          event('Queue', 5_000, duration, queue, {
            interactionPlan: '0123456789',
            presentedSkills: [queue],
            result: waiting ? null : result,
          }),
        ],
      },
    ],
  };
}

const now = Date.now();
const pick = (list) => list[Math.floor(next() * list.length)];
const month = Array.from({ length: VISITS }, (_, i) =>
  call(
    now - 30 * DAY + (i * 30 * DAY) / VISITS,
    pick(QUEUES),
    Math.floor(next() * 120_000),
    pick(RESULTS),
  ),
);
const waiting = QUEUES.map((queue, i) => call(now - (i + 1) * 20_000, queue, null));
const api = await startStatsApi({ accounts: { [TOKEN]: [...month, ...waiting] }, record: true });
const dir = mkdtempSync(path.join(os.tmpdir(), 'queues-bench-'));
const gateway = await startGateway({ url: api.url }, { logLevel: 'warn' }, dir);
const pid = gateway.child.pid;
const calls = (kind) => api.requests.filter((r) => r.path.startsWith(kind)).length;
const QUEUE_TIMES = '/stats/queue-times';
const ONGOING = '/stats/interactions/ongoing';

const FIGURES =
  'queue offered answered answeredWithinTarget abandoned shortAbandoned breakouts serviceLevel abandonmentRate averageSpeedOfAnswer longestWait waiting longestWaiting';
const REPORT = `query($start: DateTime!) { queueStats(start: $start) {
  end total { ${FIGURES} } queues { ${FIGURES} } } }`;
const LIVE = `subscription($start: DateTime!) { queueStatsUpdates(start: $start) {
  end total { ${FIGURES} } queues { ${FIGURES} } } }`;

async function monthReport() {
  const body = JSON.stringify({
    query: REPORT,
    variables: { start: new Date(Date.now() - 30 * DAY).toISOString() },
  });
  const answer = await request(`${gateway.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body,
  });
  const parsed = JSON.parse(answer.body);
  if (parsed.errors) throw new Error(answer.body);
  return parsed.data.queueStats;
}

const clients = [];
let reports = 0;
let stopping = false;
try {
  await sleep(1000);
  await monthReport(); // warm-up, not counted
  const [cpu0, q0, o0, t0] = [
    processCpuMs(pid),
    calls(QUEUE_TIMES),
    calls(ONGOING),
    performance.now(),
  ];
  let offered = 0;
  for (let i = 0; i < REPORTS; i++) offered = (await monthReport()).total.offered;
  const report = {
    visits: offered,
    upstreamCallsPerReport: {
      queueTimes: (calls(QUEUE_TIMES) - q0) / REPORTS,
      ongoing: (calls(ONGOING) - o0) / REPORTS,
    },
    gatewayCpuMsPerReport: (processCpuMs(pid) - cpu0) / REPORTS,
    wallMsPerReport: (performance.now() - t0) / REPORTS,
  };
  log(`queueStats over a month: ${JSON.stringify(report)}`);

  async function phase(name, during = async () => {}) {
    const [cpu, q, o, r, t] = [
      processCpuMs(pid),
      calls(QUEUE_TIMES),
      calls(ONGOING),
      reports,
      performance.now(),
    ];
    const stop = { done: false };
    const driving = during(stop);
    await sleep(PHASE_S * 1000);
    stop.done = true;
    await driving;
    const seconds = (performance.now() - t) / 1000;
    const polls = calls(QUEUE_TIMES) - q + (calls(ONGOING) - o);
    const result = {
      name,
      cpuMsPerS: (processCpuMs(pid) - cpu) / seconds,
      pollsPerInterval: {
        queueTimes: ((calls(QUEUE_TIMES) - q) * POLL_MS) / 1000 / seconds,
        ongoing: ((calls(ONGOING) - o) * POLL_MS) / 1000 / seconds,
      },
      polls,
      reportsPerS: (reports - r) / seconds,
    };
    log(`${name}: ${JSON.stringify(result)}`);
    return result;
  }

  const baseline = await phase('no subscribers');

  // Subscribers, one at a time: what starting one costs.
  const url = `${gateway.origin.replace('http', 'ws')}/graphql`;
  const start = new Date(Date.now() - DAY + 60_000).toISOString();
  const [cpu1, q1, o1] = [processCpuMs(pid), calls(QUEUE_TIMES), calls(ONGOING)];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${TOKEN}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const before = reports;
    client.subscribe(
      { query: LIVE, variables: { start } },
      {
        next: (result) => {
          if (result.errors) log(JSON.stringify(result.errors));
          reports++;
        },
        error: (error) => stopping || log(`subscriber ${i} failed: ${JSON.stringify(error)}`),
        complete: () => stopping || log(`subscriber ${i} completed`),
      },
    );
    while (reports === before) await sleep(5);
  }
  const startFigures = {
    gatewayCpuMsPerStart: (processCpuMs(pid) - cpu1) / SUBSCRIBERS,
    // The pollers started with the first subscriber poll meanwhile; the rest is the reads.
    upstreamCallsPerStart: {
      queueTimes: (calls(QUEUE_TIMES) - q1) / SUBSCRIBERS,
      ongoing: (calls(ONGOING) - o1) / SUBSCRIBERS,
    },
  };
  log(`subscription starts: ${JSON.stringify(startFigures)}`);

  await sleep(POLL_MS * 2);
  const idle = await phase(`${SUBSCRIBERS} subscribers, nothing changing`);
  const changing = await phase(
    'a call starting or leaving a queue every interval',
    async (stop) => {
      const open = [];
      while (!stop.done) {
        const at = Date.now();
        if (open.length > 0 && next() < 0.5) {
          const leaving = open.shift();
          const started = Date.parse(leaving.start);
          const done = call(
            started,
            leaving.channels[0].events[0].name,
            at - started - 5_000,
            'Delivered',
          );
          api.put(TOKEN, {
            ...done,
            guid: leaving.guid,
            channels: [{ ...done.channels[0], guid: leaving.guid }],
          });
        } else {
          const arriving = call(at - 6_000, pick(QUEUES), null);
          open.push(arriving);
          api.put(TOKEN, arriving);
        }
        await sleep(POLL_MS);
      }
    },
  );
  const pollSeconds = PHASE_S;
  const result = {
    settings: {
      visits: VISITS,
      reports: REPORTS,
      subscribers: SUBSCRIBERS,
      pollMs: POLL_MS,
      phaseSeconds: PHASE_S,
      node: process.version,
    },
    queueStats: report,
    subscriptionStart: startFigures,
    cpuPerPollMs: ((idle.cpuMsPerS - baseline.cpuMsPerS) * pollSeconds) / idle.polls,
    pollsPerInterval: idle.pollsPerInterval,
    cpuPerDeliveredReportMs: (changing.cpuMsPerS - idle.cpuMsPerS) / changing.reportsPerS,
    reportsPerInterval: (changing.reportsPerS * POLL_MS) / 1000,
    phases: { baseline, idle, changing },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  stopping = true;
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await stopGateway(gateway).catch((error) => log(String(error)));
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  killAll();
}
