import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';
import type { Client } from 'graphql-ws';
import { parseConfig } from '../../src/config.js';
import { random } from '../../src/demo/demoData.js';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import { startStatsApi, type StatsApi } from '../../src/demo/statsApi.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { TOKEN } from '../support/harness.js';
import { liveClient, liveHarness, subscribe, type Subscription } from '../support/live.js';
import { freePort } from '../support/ports.js';
import { startGatewayProcess } from '../support/process.js';
import { laterCall, queuedCall } from '../support/queueCalls.js';
import { redisAvailable, startRedis, type RedisServer } from '../support/redis.js';
import { sleep, waitFor } from '../support/wait.js';

// Replicas sharing a real redis-server: one poller per token and endpoint across all of them
// (a queue report's queue-times feed included), each replica's subscribers fed through pub/sub,
// and the lease taken over when the polling replica stops or dies.

const POLL_MS = 250;
const UPDATES = 'subscription { interactionUpdates { guid status } }';
const ONGOING = 'subscription { ongoingInteractions { totalCount items { guid } } }';
const QUEUE_STATS = `subscription($start: DateTime!) {
  queueStatsUpdates(start: $start) { total { offered answered waiting } }
}`;
const silent = createLogger('silent');

(redisAvailable ? describe : describe.skip)('live feeds shared through Redis', () => {
  let redis: RedisServer;
  let api: StatsApi;
  let gateways: Gateway[] = [];
  let clients: Client[] = [];
  const next = random(17);

  async function replica(pollMs = POLL_MS): Promise<Gateway> {
    const config = parseConfig({ PORT: '0', REDIS_URL: redis.url });
    const gateway = await startGateway(
      { ...config, statsApiUrl: api.url, live: { ...config.live, pollMs } },
      silent,
    );
    gateways.push(gateway);
    return gateway;
  }
  const client = (gateway: { url: string }) => {
    const c = liveClient(gateway.url);
    clients.push(c);
    return c;
  };
  const pollers = async (gateway: { url: string }, endpoint: string) => {
    const text = await (await fetch(new URL('/metrics', gateway.url))).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`stats_gateway_live_pollers{endpoint="${endpoint}"} `));
    return Number(line?.split(' ')[1] ?? 0);
  };
  const polls = (endpoint: string) =>
    api.requests.filter((r) => r.path.startsWith(`/stats/interactions${endpoint}`)).length;
  const guids = (feed: Subscription) =>
    feed.results.map((r) => r.data?.interactionUpdates as { guid: string; status: string });

  beforeEach(async () => {
    redis = await startRedis();
    api = await startStatsApi({ accounts: { [TOKEN]: [] }, record: true });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    await Promise.all(gateways.map((g) => g.stop().catch(() => {})));
    gateways = [];
    await api.close();
    await redis.stop();
  });

  it('polls once per interval for a token with subscribers on two replicas, and feeds both', async () => {
    // One after the other: Jest's ESM loader can fail concurrent first imports of one module.
    const a = await replica();
    const b = await replica();
    const onA = [subscribe(client(a), UPDATES), subscribe(client(a), ONGOING)];
    const onB = [subscribe(client(b), UPDATES), subscribe(client(b), ONGOING)];
    await Promise.all([onA[1]?.waitForResults(1), onB[1]?.waitForResults(1)]);
    for (const endpoint of ['interactions', 'ongoing']) {
      expect((await pollers(a, endpoint)) + (await pollers(b, endpoint))).toBe(1);
    }
    const before = [polls('?'), polls('/ongoing')];
    await sleep(POLL_MS * 8);
    for (const [i, count] of [polls('?'), polls('/ongoing')].entries()) {
      expect(count - (before[i] ?? 0)).toBeGreaterThanOrEqual(6);
      expect(count - (before[i] ?? 0)).toBeLessThanOrEqual(10);
    }

    const call = incomingCall(next, Date.now());
    api.put(TOKEN, call);
    api.put(TOKEN, endedCall(call, Date.now()));
    for (const feed of [onA[0], onB[0]] as Subscription[]) {
      await feed.waitForResults(1);
    }
    await sleep(POLL_MS * 3);
    expect(guids(onA[0] as Subscription)).toEqual([{ guid: call.guid, status: 'Completed' }]);
    expect(guids(onB[0] as Subscription)).toEqual([{ guid: call.guid, status: 'Completed' }]);

    // A replica's first subscriber for a feed polled elsewhere gets the current page at once.
    const c = await replica();
    const late = subscribe(client(c), ONGOING);
    const [page] = await late.waitForResults(1, POLL_MS);
    expect(page?.data?.ongoingInteractions).toEqual(
      (onA[1]?.results.at(-1)?.data ?? {}).ongoingInteractions,
    );

    // Names in Redis carry neither the token nor a plain hash of it.
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    const names = [...(await inspector.keys('*')), ...(await inspector.pubSubChannels())];
    await inspector.close();
    expect(names.length).toBeGreaterThan(3);
    const plain = [TOKEN, `Bearer ${TOKEN}`, `bearer ${TOKEN}`].flatMap((t) => [
      createHash('sha256').update(t).digest('hex'),
      createHash('sha256').update(t).digest('base64url'),
    ]);
    for (const name of names) {
      expect(name).not.toContain(TOKEN);
      for (const hash of plain) expect(name).not.toContain(hash);
    }
  });

  it('hands the polling to the other replica when the polling one stops, missing nothing and repeating nothing', async () => {
    const a = await replica();
    const feedA = subscribe(client(a), UPDATES);
    await waitFor(() => polls('?') > 0);
    const b = await replica();
    const feedB = subscribe(client(b), UPDATES);
    await sleep(POLL_MS * 2);
    expect(await pollers(a, 'interactions')).toBe(1);
    expect(await pollers(b, 'interactions')).toBe(0);

    const call = incomingCall(next, Date.now());
    api.put(TOKEN, call);
    await feedB.waitForResults(1);
    await a.stop();
    await waitFor(() => feedA.error !== undefined || feedA.completed);
    await sleep(POLL_MS * 2);
    expect(await pollers(b, 'interactions')).toBe(1);

    api.put(TOKEN, answeredCall(call, next, Date.now()));
    const later = incomingCall(next, Date.now());
    api.put(TOKEN, later);
    await feedB.waitForResults(3);
    await sleep(POLL_MS * 3);
    expect(
      guids(feedB)
        .map((u) => u.guid)
        .sort(),
    ).toEqual([call.guid, call.guid, later.guid].sort());
  });

  it('polls queue-times once per interval for queue reports on two replicas, and feeds both', async () => {
    const a = await replica();
    const b = await replica();
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const feeds = [
      subscribe(client(a), QUEUE_STATS, { start }),
      subscribe(client(b), QUEUE_STATS, { start }),
    ];
    await Promise.all(feeds.map((feed) => feed.waitForResults(1)));
    await sleep(POLL_MS * 2);
    for (const endpoint of ['queue-times:ACD', 'ongoing']) {
      expect((await pollers(a, endpoint)) + (await pollers(b, endpoint))).toBe(1);
    }
    const queueTimesPolls = () =>
      api.requests.filter(
        (r) => r.path.startsWith('/stats/queue-times') && r.path.includes('Processed'),
      ).length;
    const before = queueTimesPolls();
    await sleep(POLL_MS * 8);
    expect(queueTimesPolls() - before).toBeGreaterThanOrEqual(5);
    expect(queueTimesPolls() - before).toBeLessThanOrEqual(10);

    const totals = (feed: Subscription) =>
      feed.results.map((r) => (r.data?.queueStatsUpdates as { total: unknown }).total);
    const call = queuedCall(Date.now() - 10_000, { queue: 'Sales', duration: null });
    api.put(TOKEN, call);
    await Promise.all(feeds.map((feed) => feed.waitForResults(2)));
    api.put(TOKEN, laterCall(call, { queue: 'Sales', duration: 8_000 }));
    const answered = { offered: 1, answered: 1, waiting: 0 };
    for (const feed of feeds) {
      await waitFor(() => JSON.stringify(totals(feed).at(-1)) === JSON.stringify(answered));
      expect(totals(feed)[0]).toEqual({ offered: 0, answered: 0, waiting: 0 });
      expect(totals(feed)).toContainEqual({ offered: 0, answered: 0, waiting: 1 });
    }
  });

  it('takes over after the lease expires when the polling replica dies', async () => {
    const env = {
      STATS_API_URL: api.url,
      REDIS_URL: redis.url,
      LIVE_POLL_MS: '1000',
    };
    const doomed = await startGatewayProcess({ env });
    const feedDoomed = subscribe(client(doomed), UPDATES);
    await waitFor(() => polls('?') > 0);
    const survivor = await replica(1000);
    const feed = subscribe(client(survivor), UPDATES);
    await sleep(500);
    expect(await pollers(survivor, 'interactions')).toBe(0);

    doomed.child.kill('SIGKILL');
    await waitFor(() => feedDoomed.error !== undefined);
    const call = incomingCall(next, Date.now());
    api.put(TOKEN, call);
    // Three intervals for the lease to lapse, one for the survivor's next try, one to poll.
    await feed.waitForResults(1, 6000);
    expect(await pollers(survivor, 'interactions')).toBe(1);
    expect(guids(feed)).toEqual([{ guid: call.guid, status: 'Ongoing' }]);
  }, 20_000);
});

describe('live feeds with Redis unreachable', () => {
  it('poll for this replica alone, so its subscribers are still fed', async () => {
    const port = await freePort();
    const harness = await liveHarness(
      { [TOKEN]: [] },
      { env: { REDIS_URL: `redis://127.0.0.1:${port}` } },
    );
    const c = liveClient(harness.gateway.url);
    try {
      const feed = subscribe(c, UPDATES);
      await sleep(POLL_MS * 2);
      const call = incomingCall(random(2), Date.now());
      harness.api.put(TOKEN, call);
      await feed.waitForResults(1);
      expect(feed.results[0]?.data).toEqual({
        interactionUpdates: { guid: call.guid, status: 'Ongoing' },
      });
    } finally {
      await c.dispose();
      await harness.stop();
    }
  });
});
