import type { Client } from 'graphql-ws';
import { parseConfig } from '../../src/config.js';
import { startStatsApi, type StatsApi } from '../../src/demo/statsApi.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { TOKEN } from '../support/harness.js';
import { liveClient, metric, subscribe, type Subscription } from '../support/live.js';
import { laterCall, queuedCall } from '../support/queueCalls.js';
import { redisAvailable, startRedis, type RedisServer } from '../support/redis.js';
import { sleep } from '../support/wait.js';

// Two replicas sharing a real redis-server: one queue-times poller for the token across both,
// its visits published to every replica's subscribers.

const POLL_MS = 250;
const LIVE = `subscription($start: DateTime!) {
  queueStatsUpdates(start: $start) { total { offered answered abandoned waiting } }
}`;

(redisAvailable ? describe : describe.skip)('queueStatsUpdates across replicas', () => {
  let redis: RedisServer;
  let api: StatsApi;
  let gateways: Gateway[] = [];
  let clients: Client[] = [];

  async function replica(): Promise<Gateway> {
    const config = parseConfig({ PORT: '0', REDIS_URL: redis.url });
    const gateway = await startGateway(
      { ...config, statsApiUrl: api.url, live: { ...config.live, pollMs: POLL_MS } },
      createLogger('silent'),
    );
    gateways.push(gateway);
    return gateway;
  }
  const client = (gateway: Gateway) => {
    const c = liveClient(gateway.url);
    clients.push(c);
    return c;
  };
  const pollers = async (endpoint: string) => {
    let sum = 0;
    for (const gateway of gateways) {
      sum += await metric(
        { gateway } as never,
        `stats_gateway_live_pollers{endpoint="${endpoint}"}`,
      );
    }
    return sum;
  };
  const polls = () =>
    api.requests.filter(
      (r) => r.path.startsWith('/stats/queue-times') && r.path.includes('Processed'),
    ).length;
  const totals = (feed: Subscription) =>
    feed.results.map((r) => (r.data?.queueStatsUpdates as { total: unknown }).total);

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

  it('polls queue-times once per interval for subscribers on two replicas, and feeds both', async () => {
    const a = await replica();
    const b = await replica();
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const feeds = [subscribe(client(a), LIVE, { start }), subscribe(client(b), LIVE, { start })];
    await Promise.all(feeds.map((feed) => feed.waitForResults(1)));
    await sleep(POLL_MS * 2);
    expect(await pollers('queue-times:ACD')).toBe(1);
    expect(await pollers('ongoing')).toBe(1);
    const before = polls();
    await sleep(POLL_MS * 8);
    expect(polls() - before).toBeGreaterThanOrEqual(5);
    expect(polls() - before).toBeLessThanOrEqual(10);

    const call = queuedCall(Date.now() - 10_000, { queue: 'Sales', duration: null });
    api.put(TOKEN, call);
    await Promise.all(feeds.map((feed) => feed.waitForResults(2)));
    api.put(TOKEN, laterCall(call, { queue: 'Sales', duration: 8_000 }));
    await sleep(POLL_MS * 4);
    for (const feed of feeds) {
      expect(totals(feed)[0]).toEqual({ offered: 0, answered: 0, abandoned: 0, waiting: 0 });
      expect(totals(feed)).toContainEqual({ offered: 0, answered: 0, abandoned: 0, waiting: 1 });
      expect(totals(feed).at(-1)).toEqual({ offered: 1, answered: 1, abandoned: 0, waiting: 0 });
    }
  });
});
