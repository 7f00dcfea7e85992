import type { FeedMessage } from '../../src/live/poller.js';
import { LiveQueueReport } from '../../src/live/queueReports.js';
import type { QueueVisitDto } from '../../src/upstream/types.js';

// A live report's bookkeeping, without sockets: what arrives from the feeds while the window is
// still being read (the integration tests cannot time a message into that gap).

const START = Date.parse('2026-11-02T09:00:00.000Z');
const RULE = { targetTimeToAnswer: 20_000, includeBreakouts: true, shortAbandonTime: 0 };
const visit = (guid: string, queue: string, category: string): QueueVisitDto => ({
  start: new Date(START + 60_000).toISOString(),
  interactionGuid: guid,
  queue,
  category,
  duration: 5_000,
});

describe('a live queue report', () => {
  it('applies what the feeds sent during the read after the read, not instead of it', () => {
    const report = new LiveQueueReport({ start: START, rule: RULE });
    expect(report.receive({ kind: 'visits', items: [visit('b', 'Sales', 'Abandoned')] })).toBe(
      undefined,
    );
    const first = report.begin({ visits: [visit('a', 'Sales', 'Answered')], ongoing: [] });
    expect(first.total).toMatchObject({ offered: 2, answered: 1, abandoned: 1, waiting: 0 });
  });

  it('makes a report only when a figure changed', () => {
    const report = new LiveQueueReport({ start: START, queues: new Set(['Sales']), rule: RULE });
    report.begin({ visits: [], ongoing: [] });
    const billing: FeedMessage = { kind: 'visits', items: [visit('c', 'Billing', 'Answered')] };
    expect(report.receive(billing)).toBeUndefined();
    const page = { meta: { page: 1, count: 0, pageCount: 0, totalCount: 0 }, items: [] };
    expect(report.receive({ kind: 'ongoing', page })).toBeUndefined();
    const sales: FeedMessage = { kind: 'visits', items: [visit('d', 'Sales', 'Answered')] };
    expect(report.receive(sales)?.total.answered).toBe(1);
    expect(report.receive(sales)).toBeUndefined(); // the same visit again
  });
});
