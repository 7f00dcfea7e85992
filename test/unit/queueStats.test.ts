import { QueueStatsLedger, type ServiceLevelRule } from '../../src/model/queueStats.js';
import { waitingCalls } from '../../src/model/waiting.js';
import type { InteractionDto, QueueVisitDto } from '../../src/upstream/types.js';

// The KPI formulas against fixtures worked out by hand (the arithmetic is in each comment).

const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const RULE: ServiceLevelRule = {
  targetTimeToAnswer: 20_000,
  includeBreakouts: true,
  shortAbandonTime: 5_000,
};

let n = 0;
function visit(
  queue: string,
  category: string | null,
  duration: number | null,
  extra: Partial<QueueVisitDto> = {},
): QueueVisitDto {
  n++;
  return {
    start: new Date(T0 + n * 1000).toISOString(),
    interactionGuid: `guid-${n}`,
    queue,
    category,
    duration,
    ...extra,
  };
}

// Sales: 3 answered (12 s within 20 s; 30 s not; 25 s within its own 30 s target), an abandon of
// 4 s (short: under 5 s), one of 50 s, a breakout of 90 s, and a `Transferred` of 7 s.
const SALES = [
  visit('Sales', 'Answered', 12_000),
  visit('Sales', 'Answered', 30_000),
  visit('Sales', 'Answered', 25_000, { targets: { targetTimeToAnswer: 30_000 } }),
  visit('Sales', 'Abandoned', 4_000),
  visit('Sales', 'Abandoned', 50_000),
  visit('Sales', 'Breakout', 90_000),
  visit('Sales', 'Transferred', 7_000),
];

const report = (rule: ServiceLevelRule, visits: QueueVisitDto[], end = T0 + 3_600_000) => {
  const ledger = new QueueStatsLedger(rule, T0, end);
  ledger.add(visits);
  return ledger.report(new Date(end));
};

describe('queue KPIs', () => {
  it('counts each category, short abandons apart, and other categories in offered only', () => {
    const [sales] = report(RULE, SALES).queues;
    expect(sales).toEqual({
      queue: 'Sales',
      offered: 7,
      answered: 3,
      answeredWithinTarget: 2,
      abandoned: 1,
      shortAbandoned: 1,
      breakouts: 1,
      serviceLevel: 40, // 100 × 2 ÷ (3 + 1 + 1)
      abandonmentRate: (100 * 1) / 6, // 100 × 1 ÷ (7 − 1)
      averageSpeedOfAnswer: 22_333, // (12 + 30 + 25) s ÷ 3 = 22,333.3 ms
      longestWait: 90_000,
      waiting: null,
      longestWaiting: null,
    });
  });

  it('leaves breakouts out of the service level divisor when the rule says so', () => {
    const [sales] = report({ ...RULE, includeBreakouts: false }, SALES).queues;
    expect(sales?.serviceLevel).toBe(50); // 100 × 2 ÷ (3 + 1)
  });

  it('counts no abandon as short with shortAbandonTime 0', () => {
    const [sales] = report({ ...RULE, shortAbandonTime: 0 }, SALES).queues;
    expect(sales).toMatchObject({ abandoned: 2, shortAbandoned: 0 });
    expect(sales?.serviceLevel).toBeCloseTo((100 * 2) / 6); // 3 + 2 + 1
    expect(sales?.abandonmentRate).toBeCloseTo((100 * 2) / 7);
  });

  it('judges an answer by the visit’s own target before the rule’s', () => {
    const virtual = [
      visit('VIP', 'Answered', 6_000, { targets: { targetTimeToAnswer: 5_000 } }), // over its 5 s
      visit('VIP', 'Answered', 5_000, { targets: { targetTimeToAnswer: 5_000 } }), // at it: within
      visit('VIP', 'Answered', 19_000, { targets: null }), // the rule's 20 s
    ];
    expect(report(RULE, virtual).queues[0]).toMatchObject({
      answered: 3,
      answeredWithinTarget: 2,
    });
  });

  it('gives null for a ratio whose divisor is 0 and for times of no visits', () => {
    const onlyShort = report(RULE, [visit('Sales', 'Abandoned', 1_000)]).queues[0];
    expect(onlyShort).toMatchObject({
      offered: 1,
      shortAbandoned: 1,
      serviceLevel: null, // 0 answered + 0 abandoned + 0 breakouts
      abandonmentRate: null, // 1 offered − 1 short
      averageSpeedOfAnswer: null,
      longestWait: 1_000,
    });
    const empty = report(RULE, []);
    expect(empty.queues).toEqual([]);
    expect(empty.total).toMatchObject({
      queue: null,
      offered: 0,
      serviceLevel: null,
      abandonmentRate: null,
      averageSpeedOfAnswer: null,
      longestWait: null,
      waiting: null,
    });
  });

  it('totals every queue: sums, then the ratios of the sums', () => {
    const billing = [visit('Billing', 'Answered', 40_000), visit('Billing', 'Abandoned', 60_000)];
    const { queues, total } = report(RULE, [...SALES, ...billing]);
    expect(queues.map((q) => q.queue)).toEqual(['Billing', 'Sales']);
    expect(total).toMatchObject({
      queue: null,
      offered: 9,
      answered: 4,
      answeredWithinTarget: 2,
      abandoned: 2,
      shortAbandoned: 1,
      breakouts: 1,
      serviceLevel: (100 * 2) / 7, // 4 + 2 + 1
      abandonmentRate: (100 * 2) / 8, // 9 − 1
      averageSpeedOfAnswer: 26_750, // (12 + 30 + 25 + 40) s ÷ 4
      longestWait: 90_000,
    });
  });

  it('counts only visits that entered in [start, end)', () => {
    const at = (ms: number) => ({ start: new Date(ms).toISOString() });
    const visits = [
      visit('Sales', 'Answered', 1_000, at(T0 - 1)),
      visit('Sales', 'Answered', 1_000, at(T0)),
      visit('Sales', 'Answered', 1_000, at(T0 + 59_999)),
      visit('Sales', 'Answered', 1_000, at(T0 + 60_000)),
      visit('Sales', 'Answered', 1_000, { start: null }),
    ];
    expect(report(RULE, visits, T0 + 60_000).total.offered).toBe(2);
  });

  it('replaces a visit seen again, in every sum and in the longest wait', () => {
    const ledger = new QueueStatsLedger(RULE, T0);
    const first = visit('Sales', 'Abandoned', 80_000);
    ledger.add([first, visit('Sales', 'Answered', 10_000)]);
    ledger.add([{ ...first, category: 'Answered', duration: 15_000 }]);
    expect(ledger.report(new Date(T0 + 3_600_000)).queues[0]).toMatchObject({
      offered: 2,
      answered: 2,
      abandoned: 0,
      averageSpeedOfAnswer: 12_500,
      longestWait: 15_000,
    });
  });
});

describe('waiting calls', () => {
  const call = (
    start: number,
    events: { name: string | null; offset: number; duration: number | null; type?: string }[],
  ): InteractionDto => ({
    guid: `w-${start}`,
    start: new Date(start).toISOString(),
    channels: [
      { events: events.map(({ type = 'Queue', ...e }) => ({ type, properties: null, ...e })) },
    ],
  });
  const ongoing = [
    call(T0, [
      { name: 'Sales', offset: 4_000, duration: 10_000 },
      { name: 'Billing', offset: 14_000, duration: null },
    ]),
    call(T0 + 5_000, [{ name: 'Billing', offset: 1_000, duration: null }]),
    call(T0 + 9_000, [{ name: 'Support', offset: 0, duration: null, type: 'Applet' }]),
    call(T0 + 9_000, [{ name: null, offset: 0, duration: null }]),
  ];

  it('finds each call in a queue event with no duration yet, since its start plus offset', () => {
    expect(waitingCalls(ongoing)).toEqual(new Map([['Billing', [T0 + 14_000, T0 + 6_000]]]));
    expect(waitingCalls(ongoing, new Set(['Sales']))).toEqual(new Map());
  });

  it('reports waiting and the longest wait so far per queue, and their total', () => {
    const ledger = new QueueStatsLedger(RULE, T0);
    ledger.add([visit('Sales', 'Answered', 10_000)]);
    const { queues, total } = ledger.report(new Date(T0 + 60_000), waitingCalls(ongoing));
    expect(queues.map((q) => [q.queue, q.offered, q.waiting, q.longestWaiting])).toEqual([
      ['Billing', 0, 2, 54_000], // waiting since T0 + 6 s, reported at T0 + 60 s
      ['Sales', 1, 0, null],
    ]);
    expect(total).toMatchObject({ waiting: 2, longestWaiting: 54_000 });
  });
});
