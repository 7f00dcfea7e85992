import { harnessPerTest, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { queuedCall } from '../support/queueCalls.js';

// queueStats over real sockets: the figures worked out by hand from calls whose queue stays
// the stand-in reports as visits (src/demo/queueTimes.ts).

const DAY = Date.parse('2026-11-02T00:00:00.000Z');
const at = (minutes: number) => DAY + minutes * 60_000;
const START = new Date(DAY).toISOString();
const END = new Date(DAY + 86_400_000).toISOString();

const STATS = `query Stats($start: DateTime!, $end: DateTime, $queues: [String!], $queueType: QueueType, $serviceLevel: ServiceLevelRule) {
  queueStats(start: $start, end: $end, queues: $queues, queueType: $queueType, serviceLevel: $serviceLevel) {
    start end
    total { ...figures }
    queues { ...figures }
  }
}
fragment figures on QueueStats {
  queue offered answered answeredWithinTarget abandoned shortAbandoned breakouts
  serviceLevel abandonmentRate averageSpeedOfAnswer longestWait waiting longestWaiting
}`;

// Sales: answered in 12 s and 30 s, abandoned after 4 s and 50 s, a breakout after 90 s.
// Billing: answered in 20 s. VIP (virtual, own target 5 s): answered in 4 s and in 6 s.
const CALLS = [
  queuedCall(at(10), { queue: 'Sales', duration: 12_000 }),
  queuedCall(at(20), { queue: 'Sales', duration: 30_000 }),
  queuedCall(at(30), { queue: 'Sales', duration: 4_000, result: 'Abandoned' }),
  queuedCall(at(40), { queue: 'Sales', duration: 50_000, result: 'Abandoned' }),
  queuedCall(at(50), { queue: 'Sales', duration: 90_000, result: 'NoAgentsBreakout' }),
  queuedCall(at(60), { queue: 'Billing', duration: 20_000 }),
  queuedCall(at(70), { queue: 'VIP', duration: 4_000 }),
  queuedCall(at(80), { queue: 'VIP', duration: 6_000 }),
  queuedCall(at(24 * 60 + 5), { queue: 'Sales', duration: 1_000 }), // the next day
];

type Stats = Record<string, unknown>;
type Report = { start: string; end: string; total: Stats; queues: Stats[] };

describe('queueStats', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: CALLS }, { virtualQueues: { VIP: 5_000 } });
  });
  beforeEach(() => harness.reset());
  afterAll(() => harness.stop());

  const stats = async (variables: Record<string, unknown>) =>
    (await harness.data(STATS, { start: START, end: END, ...variables })).queueStats as Report;

  it('computes each queue’s figures and their total, with short abandons and breakouts counted', async () => {
    const report = await stats({ serviceLevel: { shortAbandonTime: 5_000 } });
    expect(report.start).toBe(START);
    expect(report.end).toBe(END);
    const none = { waiting: null, longestWaiting: null };
    expect(report.queues).toEqual([
      {
        queue: 'Billing',
        offered: 1,
        answered: 1,
        answeredWithinTarget: 1, // 20 s ≤ 20 s
        abandoned: 0,
        shortAbandoned: 0,
        breakouts: 0,
        serviceLevel: 100,
        abandonmentRate: 0,
        averageSpeedOfAnswer: 20_000,
        longestWait: 20_000,
        ...none,
      },
      {
        queue: 'Sales',
        offered: 5,
        answered: 2,
        answeredWithinTarget: 1,
        abandoned: 1,
        shortAbandoned: 1, // 4 s < 5 s
        breakouts: 1,
        serviceLevel: (100 * 1) / 4, // 1 ÷ (2 + 1 + 1)
        abandonmentRate: 25, // 1 ÷ (5 − 1)
        averageSpeedOfAnswer: 21_000, // (12 + 30) ÷ 2
        longestWait: 90_000,
        ...none,
      },
    ]);
    expect(report.total).toEqual({
      queue: null,
      offered: 6,
      answered: 3,
      answeredWithinTarget: 2,
      abandoned: 1,
      shortAbandoned: 1,
      breakouts: 1,
      serviceLevel: 40, // 2 ÷ (3 + 1 + 1)
      abandonmentRate: 20, // 1 ÷ (6 − 1)
      averageSpeedOfAnswer: 20_667, // 62 s ÷ 3
      longestWait: 90_000,
      ...none,
    });
  });

  it('leaves breakouts out of service level when the rule says so', async () => {
    const report = await stats({ queues: ['Sales'], serviceLevel: { includeBreakouts: false } });
    expect(report.queues.map((q) => q.queue)).toEqual(['Sales']);
    expect(report.total.serviceLevel).toBeCloseTo((100 * 1) / 4); // 1 ÷ (2 + 2), no short ones
    expect(report.total.abandonmentRate).toBe(40); // 2 ÷ 5
  });

  it('judges a virtual queue’s answers by its own target', async () => {
    const report = await stats({
      queueType: 'VIRTUAL',
      serviceLevel: { targetTimeToAnswer: 60_000 },
    });
    expect(report.queues).toMatchObject([
      { queue: 'VIP', offered: 2, answered: 2, answeredWithinTarget: 1, serviceLevel: 50 },
    ]);
  });

  it('gives null ratios and times for a window with no visits', async () => {
    const report = await stats({ end: new Date(at(5)).toISOString() });
    expect(report.queues).toEqual([]);
    expect(report.total).toMatchObject({
      offered: 0,
      serviceLevel: null,
      abandonmentRate: null,
      averageSpeedOfAnswer: null,
      longestWait: null,
      waiting: null,
    });
  });

  it('is null with its own error when upstream fails, and the sibling fields still come back', async () => {
    harness.api.inject('queue-times', { kind: 'status', status: 500 }, 10);
    const response = await harness.query(
      `{ stats: queueStats(start: "${START}", end: "${END}") { total { offered } }
         list: interactions(start: "${START}", end: "${END}") { totalCount } }`,
    );
    expect(response.body.data).toEqual({ stats: null, list: { totalCount: 8 } });
    expect(response.body.errors).toMatchObject([
      { path: ['stats'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    ]);
  });

  it.each([
    [
      'a negative target',
      { serviceLevel: { targetTimeToAnswer: -1 } },
      'serviceLevel.targetTimeToAnswer',
    ],
    [
      'a negative short abandon time',
      { serviceLevel: { shortAbandonTime: -5 } },
      'serviceLevel.shortAbandonTime',
    ],
    ['end before start', { end: '2026-11-01T00:00:00.000Z' }, 'end'],
    ['a window over 31 days', { end: '2026-12-04T00:00:00.000Z' }, 'end'],
    ['an empty queue list', { queues: [] }, 'queues'],
  ])('refuses %s with BAD_USER_INPUT and no upstream call', async (_, variables, argument) => {
    const response = await harness.query(STATS, { start: START, end: END, ...variables });
    expect(response.body.data).toEqual({ queueStats: null });
    expect(response.body.errors).toMatchObject([
      { path: ['queueStats'], extensions: { code: 'BAD_USER_INPUT', argument } },
    ]);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('refuses a start in the future when end is omitted, with no upstream call', async () => {
    const response = await harness.query(STATS, {
      start: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(response.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(harness.upstreamCalls()).toBe(0);
  });
});

describe('queueStats over many visits, and now', () => {
  const harnesses = harnessPerTest();

  it('reads every page of 5000, the later ones pinned to the window the first one saw', async () => {
    const base = Date.now() - 86_400_000;
    const calls = Array.from({ length: 12_001 }, (_, i) =>
      queuedCall(base + i * 1000, {
        queue: i % 2 ? 'Sales' : 'Billing',
        duration: 1000 + (i % 30_000),
      }),
    );
    const harness = await harnesses.start({ [TOKEN]: calls });
    const data = await harness.data(STATS, { start: new Date(base).toISOString() });
    const report = data.queueStats as Report;
    expect(report.total).toMatchObject({ offered: 12_001, answered: 12_001, longestWait: 13_000 });
    expect(report.queues.map((q) => [q.queue, q.offered])).toEqual([
      ['Billing', 6001],
      ['Sales', 6000],
    ]);
    const sent = harness.api.requests
      .filter((r) => r.path.startsWith('/stats/queue-times'))
      .map((r) => new URL(r.path, 'http://x').searchParams)
      .sort((a, b) => Number(a.get('page')) - Number(b.get('page')));
    expect(sent.map((p) => [p.get('page'), p.get('limit')])).toEqual([
      ['1', '5000'],
      ['2', '5000'],
      ['3', '5000'],
    ]);
    // The first page has no end (now); the others end where it was served, its upTo.
    expect(sent[0]?.get('end')).toBeNull();
    expect(sent[1]?.get('end')).toBe(report.end);
    expect(sent[2]?.get('end')).toBe(report.end);
  });

  it('refuses more visits than QUEUE_STATS_MAX_VISITS after one upstream call, with no figures', async () => {
    const calls = Array.from({ length: 10_001 }, (_, i) =>
      queuedCall(DAY + i * 1000, { queue: 'Sales', duration: 1000 }),
    );
    const harness = await harnesses.start(
      { [TOKEN]: calls },
      { env: { QUEUE_STATS_MAX_VISITS: '10000' } },
    );
    const response = await harness.query(STATS, { start: START, end: END });
    expect(response.body.data).toEqual({ queueStats: null });
    expect(response.body.errors).toMatchObject([
      {
        path: ['queueStats'],
        extensions: { code: 'RESULT_TOO_LARGE', limit: 'QUEUE_STATS_MAX_VISITS', max: 10_000 },
      },
    ]);
    expect(harness.upstreamCalls()).toBe(1);

    // At the bound, every page is read. Visits enter 1 s after their call starts.
    harness.reset();
    const end = new Date(DAY + 10_001_000).toISOString();
    const under = await harness.data(STATS, { start: START, end });
    expect((under.queueStats as Report).total.offered).toBe(10_000);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('counts the calls waiting now, in queues with visits and without, when end is omitted', async () => {
    const now = Date.now();
    const harness = await harnesses.start({
      [TOKEN]: [
        queuedCall(now - 600_000, { queue: 'Sales', duration: 10_000 }),
        queuedCall(now - 60_000, { queue: 'Sales', offset: 20_000, duration: null }),
        queuedCall(now - 30_000, { queue: 'Sales', offset: 5_000, duration: null }),
        queuedCall(now - 90_000, { queue: 'Billing', offset: 0, duration: null }),
      ],
    });
    const start = new Date(now - 3_600_000).toISOString();
    const report = (await harness.data(STATS, { start })).queueStats as Report;
    const end = Date.parse(report.end);
    expect(end).toBeGreaterThanOrEqual(now);
    expect(report.queues.map((q) => [q.queue, q.offered, q.waiting, q.longestWaiting])).toEqual([
      ['Billing', 0, 1, end - (now - 90_000)],
      ['Sales', 1, 2, end - (now - 40_000)],
    ]);
    expect(report.total).toMatchObject({
      offered: 1,
      waiting: 3,
      longestWaiting: end - (now - 90_000),
    });

    // With an end, the window does not reach now: no waiting figures, and no ongoing call.
    harness.reset();
    const closed = (await harness.data(STATS, { start, end: new Date(now).toISOString() }))
      .queueStats as Report;
    expect(closed.total).toMatchObject({ offered: 1, waiting: null, longestWaiting: null });
    expect(harness.api.requests.map((r) => r.path.split('?')[0])).toEqual(['/stats/queue-times']);
  });
});
