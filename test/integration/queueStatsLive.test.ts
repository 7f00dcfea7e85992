import type { Client } from 'graphql-ws';
import type { InteractionDto } from '../../src/upstream/types.js';
import type { Harness } from '../support/harness.js';
import { liveClient, liveHarness, metric, subscribe, type Subscription } from '../support/live.js';
import { laterCall, queuedCall } from '../support/queueCalls.js';
import { sleep, waitFor } from '../support/wait.js';

// queueStatsUpdates over real sockets: the stand-in's calls wait, are answered and abandoned
// while graphql-ws clients watch. Each test has its own token (account); the feeds poll every
// 250 ms.

const POLL_MS = 250;
const LIVE = `subscription Live($start: DateTime!, $queues: [String!], $serviceLevel: ServiceLevelRule) {
  queueStatsUpdates(start: $start, queues: $queues, serviceLevel: $serviceLevel) {
    start end
    total { queue offered answered abandoned serviceLevel waiting longestWaiting }
    queues { queue offered answered answeredWithinTarget abandoned waiting longestWaiting longestWait }
  }
}`;

type Stats = {
  queue: string | null;
  offered: number;
  answered: number;
  abandoned: number;
  waiting: number | null;
  longestWaiting: number | null;
};
type Report = { start: string; end: string; total: Stats; queues: Stats[] };

const TOKENS = ['first', 'change', 'quiet', 'shared', 'refused', 'scoped', 'failing', 'revoked'];

describe('queueStatsUpdates', () => {
  let harness: Harness;
  let clients: Client[] = [];
  const client = (token: string) => {
    const c = liveClient(harness.gateway.url, { Authorization: `Bearer ${token}` });
    clients.push(c);
    return c;
  };
  const put = (token: string, call: InteractionDto) => harness.api.put(token, call);
  const reportOf = (feed: Subscription, i: number) =>
    feed.results[i]?.data?.queueStatsUpdates as Report;
  const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

  beforeAll(async () => {
    harness = await liveHarness(Object.fromEntries(TOKENS.map((t) => [t, []])), {
      pollMs: POLL_MS,
    });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
  });
  afterAll(() => harness.stop());

  it('sends the report for start to now at once, with the calls waiting now', async () => {
    const now = Date.now();
    put('first', queuedCall(now - 600_000, { queue: 'Sales', duration: 10_000 }));
    put('first', queuedCall(now - 7_200_000, { queue: 'Sales', duration: 10_000 })); // before start
    put('first', queuedCall(now - 60_000, { queue: 'Billing', offset: 30_000, duration: null }));
    const feed = subscribe(client('first'), LIVE, { start: hourAgo() });
    await feed.waitForResults(1);
    const report = reportOf(feed, 0);
    expect(report.queues.map((q) => [q.queue, q.offered, q.answered, q.waiting])).toEqual([
      ['Billing', 0, 0, 1],
      ['Sales', 1, 1, 0],
    ]);
    const billing = report.queues[0] as Stats;
    // It has waited since 30 s after its call's start, a minute before the report's end.
    const waited = Date.parse(report.end) - (now - 60_000 + 30_000);
    expect(billing.longestWaiting).toBe(waited);
    expect(report.total).toMatchObject({ offered: 1, waiting: 1, longestWaiting: waited });
  });

  it('sends a new report when a call starts waiting, and when its visit arrives', async () => {
    const feed = subscribe(client('change'), LIVE, { start: hourAgo() });
    await feed.waitForResults(1);
    expect(reportOf(feed, 0).queues).toEqual([]);
    expect(reportOf(feed, 0).total).toMatchObject({ offered: 0, waiting: 0, serviceLevel: null });

    const call = queuedCall(Date.now() - 5_000, { queue: 'Support', duration: null });
    put('change', call);
    await feed.waitForResults(2);
    expect(reportOf(feed, 1).queues).toMatchObject([{ queue: 'Support', offered: 0, waiting: 1 }]);

    put('change', laterCall(call, { queue: 'Support', duration: 3_000, result: 'Abandoned' }));
    // The visit and the end of the wait come from two feeds: one report, or two.
    const last = () => reportOf(feed, feed.results.length - 1);
    await waitFor(() => last().total.offered === 1 && last().total.waiting === 0);
    expect(feed.results.length).toBeLessThanOrEqual(4);
    expect(last().queues).toMatchObject([
      { queue: 'Support', offered: 1, abandoned: 1, waiting: 0 },
    ]);
  });

  it('sends nothing while nothing changes', async () => {
    put('quiet', queuedCall(Date.now() - 60_000, { queue: 'Sales', duration: 10_000 }));
    put('quiet', queuedCall(Date.now() - 60_000, { queue: 'Sales', duration: null }));
    const feed = subscribe(client('quiet'), LIVE, { start: hourAgo() });
    await feed.waitForResults(1);
    await sleep(POLL_MS * 6); // polled again and again; the waiting call's wait grows, no more
    expect(feed.results).toHaveLength(1);
  });

  it('polls once per interval for many subscribers of one token, whatever their arguments', async () => {
    const feeds = [
      subscribe(client('shared'), LIVE, { start: hourAgo() }),
      subscribe(client('shared'), LIVE, { start: hourAgo(), queues: ['Sales'] }),
      subscribe(client('shared'), LIVE, {
        start: new Date(Date.now() - 60_000).toISOString(),
        serviceLevel: { targetTimeToAnswer: 5_000 },
      }),
    ];
    await Promise.all(feeds.map((feed) => feed.waitForResults(1)));
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="queue-times:ACD"}')).toBe(1);
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="ongoing"}')).toBe(1);
    const polls = () =>
      harness.api.requests.filter(
        (r) => r.path.startsWith('/stats/queue-times') && r.path.includes('include=Processed'),
      ).length;
    const before = polls();
    await sleep(POLL_MS * 8);
    expect(polls() - before).toBeGreaterThanOrEqual(5);
    expect(polls() - before).toBeLessThanOrEqual(10);

    put('shared', queuedCall(Date.now() - 30_000, { queue: 'Sales', duration: 2_000 }));
    await Promise.all(feeds.map((feed) => feed.waitForResults(2)));
    expect(feeds.map((feed) => reportOf(feed, 1).total.answered)).toEqual([1, 1, 1]);
  });

  it('counts only the queues asked for, waiting included', async () => {
    put('scoped', queuedCall(Date.now() - 60_000, { queue: 'Sales', duration: 10_000 }));
    put('scoped', queuedCall(Date.now() - 60_000, { queue: 'Billing', duration: null }));
    const feed = subscribe(client('scoped'), LIVE, { start: hourAgo(), queues: ['Sales'] });
    await feed.waitForResults(1);
    expect(reportOf(feed, 0).queues.map((q) => q.queue)).toEqual(['Sales']);
    expect(reportOf(feed, 0).total).toMatchObject({ offered: 1, waiting: 0 });

    // Another queue's call waits, then its visit arrives: nothing for this subscriber.
    const other = queuedCall(Date.now() - 5_000, { queue: 'Billing', duration: null });
    put('scoped', other);
    await sleep(POLL_MS * 3);
    put('scoped', laterCall(other, { queue: 'Billing', duration: 4_000 }));
    await sleep(POLL_MS * 4);
    expect(feed.results).toHaveLength(1);
  });

  const callsOf = (token: string) =>
    harness.api.requests.filter((r) => r.headers.authorization === `Bearer ${token}`).length;

  it.each([
    ['a start over 24 hours ago', { start: new Date(Date.now() - 25 * 3_600_000).toISOString() }],
    ['a start in the future', { start: new Date(Date.now() + 60_000).toISOString() }],
    [
      'a negative target',
      { start: new Date().toISOString(), serviceLevel: { targetTimeToAnswer: -1 } },
    ],
    ['an empty queue list', { start: new Date().toISOString(), queues: [] }],
  ])('refuses %s with BAD_USER_INPUT, starting no poller', async (_, variables) => {
    const feed = subscribe(client('refused'), LIVE, variables);
    await feed.ended();
    expect(feed.completed).toBe(true);
    expect(feed.results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(callsOf('refused')).toBe(0);
  });

  it('refuses over HTTP: subscriptions run over WebSocket', async () => {
    const response = await harness.query(
      LIVE,
      { start: hourAgo() },
      { authorization: 'Bearer refused' },
    );
    expect(response.body.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    expect(callsOf('refused')).toBe(0);
  });

  it('ends with the upstream error when the window cannot be read', async () => {
    harness.api.inject('queue-times', { kind: 'status', status: 403 }, 1);
    const feed = subscribe(client('failing'), LIVE, { start: hourAgo() });
    await feed.ended();
    expect(feed.results.map((r) => [r.data, r.errors?.[0]?.extensions?.code])).toEqual([
      [null, 'FORBIDDEN'],
    ]);
  });

  it('ends with UNAUTHENTICATED when upstream stops accepting the token', async () => {
    const feed = subscribe(client('revoked'), LIVE, { start: hourAgo() });
    await feed.waitForResults(1);
    harness.api.revoke('revoked');
    await feed.ended(POLL_MS * 8);
    expect(feed.results.at(-1)?.errors).toMatchObject([
      { extensions: { code: 'UNAUTHENTICATED' } },
    ]);
  });
});
