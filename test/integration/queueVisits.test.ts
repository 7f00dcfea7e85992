import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { queuedCall } from '../support/queueCalls.js';

// queueVisits over real sockets: one page of the stand-in's GET /queue-times, every field as
// upstream sent it, and the interaction behind each visit fetched once per distinct guid.

const DAY = Date.parse('2026-11-03T00:00:00.000Z');
const at = (minutes: number) => DAY + minutes * 60_000;
const START = new Date(DAY).toISOString();
const END = new Date(DAY + 86_400_000).toISOString();

const VISITS = `query Visits($start: DateTime!, $end: DateTime, $include: InteractionInclude, $queues: [String!], $queueType: QueueType, $page: Int, $limit: Int) {
  queueVisits(start: $start, end: $end, include: $include, queues: $queues, queueType: $queueType, page: $page, limit: $limit) {
    page count pageCount totalCount upTo
    items {
      start end interactionGuid medium mediumManager interactionPlan queue type presentedSkills
      category reason duration targetTimeToAnswer party { id role touchpoint }
    }
  }
}`;

const CALLS = [
  // Two stays of one call: the menu's queue, then a transfer to Billing.
  queuedCall(
    at(10),
    { queue: 'Sales', duration: 12_000, result: 'Transferred' },
    { queue: 'Billing', offset: 20_000, duration: 8_000 },
  ),
  queuedCall(at(20), { queue: 'Sales', duration: 4_000, result: 'Abandoned' }),
  queuedCall(at(30), { queue: 'Sales', duration: 61_000, result: 'NoAgentsBreakout' }),
  queuedCall(at(40), { queue: 'VIP', duration: 3_000 }),
  queuedCall(at(50), { queue: 'Sales', duration: 9_000, result: 'SomethingNew' }),
];

describe('queueVisits', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: CALLS }, { virtualQueues: { VIP: 5_000 } });
  });
  beforeEach(() => harness.reset());
  afterAll(() => harness.stop());

  /** The stand-in's own answer, as the gateway received it. */
  async function upstream(query: string): Promise<{ items: Record<string, unknown>[] }> {
    const response = await fetch(`${harness.api.url}/queue-times?${query}`, {
      headers: {
        accept: 'application/vnd.newvoicemedia.v3+json',
        authorization: `Bearer ${TOKEN}`,
      },
    });
    return (await response.json()) as { items: Record<string, unknown>[] };
  }

  it('serves every field of each visit as upstream sent it, with end and the target derived', async () => {
    const data = await harness.data(VISITS, { start: START, end: END, limit: 100 });
    const page = data.queueVisits as { items: Record<string, unknown>[] } & Record<string, unknown>;
    const raw = await upstream(`start=${START}&end=${END}&limit=100`);
    expect(raw.items).toHaveLength(5); // the VIP visit is Virtual, not ACD
    expect(page).toMatchObject({ page: 1, count: 5, pageCount: 1, totalCount: 5 });
    expect(page.items).toEqual(
      raw.items.map(({ targets, ...fields }) => ({
        ...fields,
        end: new Date(
          Date.parse(fields.start as string) + (fields.duration as number),
        ).toISOString(),
        targetTimeToAnswer:
          (targets as { targetTimeToAnswer: number } | null)?.targetTimeToAnswer ?? null,
      })),
    );
    // Spot checks of what the mapping above cannot show by itself.
    expect(page.items.map((v) => [v.queue, v.category, v.reason])).toEqual([
      ['Sales', 'Transferred', 'Transferred'],
      ['Billing', 'Answered', 'Delivered'],
      ['Sales', 'Abandoned', 'Abandoned'],
      ['Sales', 'Breakout', 'NoAgentsBreakout'],
      ['Sales', 'SomethingNew', 'SomethingNew'],
    ]);
    expect(page.items[1]).toMatchObject({
      start: new Date(at(10) + 20_000).toISOString(),
      end: new Date(at(10) + 28_000).toISOString(),
      interactionGuid: CALLS[0]?.guid,
      interactionPlan: '0123456789',
      presentedSkills: ['Billing', 'English'],
      party: { id: null, role: 'External', touchpoint: '07700900123' },
    });
  });

  it('sends queues and queueType upstream as its parameters, and serves a virtual queue’s target', async () => {
    const data = await harness.data(VISITS, {
      start: START,
      end: END,
      queues: ['VIP', 'Sales'],
      queueType: 'VIRTUAL',
      include: 'STARTED_OR_ENDED',
      page: 1,
      limit: 10,
    });
    const [request] = harness.api.requests;
    const sent = new URL(request?.path ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(sent)).toEqual({
      start: START,
      end: END,
      include: 'StartedOrEnded',
      queues: 'VIP,Sales',
      queueType: 'Virtual',
      page: '1',
      limit: '10',
    });
    const { items } = data.queueVisits as { items: Record<string, unknown>[] };
    expect(items).toMatchObject([{ queue: 'VIP', type: 'Virtual', targetTimeToAnswer: 5_000 }]);
  });

  it('fetches the interaction behind a page of visits once per distinct guid', async () => {
    const data = await harness.data(
      `query($start: DateTime!) { queueVisits(start: $start, end: "${END}", limit: 100) {
        items { interactionGuid interaction { guid status } }
      } }`,
      { start: START },
    );
    const { items } = data.queueVisits as {
      items: { interactionGuid: string; interaction: { guid: string } }[];
    };
    expect(items).toHaveLength(5);
    for (const item of items) expect(item.interaction.guid).toBe(item.interactionGuid);
    const distinct = new Set(items.map((item) => item.interactionGuid)).size;
    expect(distinct).toBe(4);
    expect(harness.upstreamCalls()).toBe(1 + distinct);
  });

  it('may be cached privately for 5 seconds, as upstream’s answers, with the interactions in it', async () => {
    const query = `query($start: DateTime!) {
      visits: queueVisits(start: $start, end: "${END}") { items { interaction { guid } } }
      stats: queueStats(start: $start, end: "${END}") { total { offered } }
    }`;
    const response = await harness.query(query, { start: START });
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('max-age=5, private');
  });

  it('is null with its own error when upstream fails, and the sibling fields still come back', async () => {
    harness.api.inject('queue-times', { kind: 'status', status: 400 }, 1);
    const response = await harness.query(
      `{ visits: queueVisits(start: "${START}", end: "${END}") { totalCount }
         list: interactions(start: "${START}", end: "${END}") { totalCount } }`,
    );
    expect(response.body.data).toEqual({ visits: null, list: { totalCount: 5 } });
    expect(response.body.errors).toMatchObject([
      { path: ['visits'], extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });

  it.each([
    ['end before start', { end: '2026-11-02T00:00:00.000Z' }, 'end'],
    ['a window over 31 days', { end: '2026-12-05T00:00:00.000Z' }, 'end'],
    ['page 0', { page: 0 }, 'page'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 5001', { limit: 5001 }, 'limit'],
    ['an empty queue list', { queues: [] }, 'queues'],
    ['a queue name with a comma', { queues: ['Sales', 'A,B'] }, 'queues[1]'],
    ['an empty queue name', { queues: [' '] }, 'queues[0]'],
  ])('refuses %s with BAD_USER_INPUT and no upstream call', async (_, variables, argument) => {
    const response = await harness.query(VISITS, { start: START, end: END, ...variables });
    expect(response.body.data).toEqual({ queueVisits: null });
    expect(response.body.errors).toMatchObject([
      { path: ['queueVisits'], extensions: { code: 'BAD_USER_INPUT', argument } },
    ]);
    expect(harness.upstreamCalls()).toBe(0);
  });
});
