import { generateInteractions } from '../../src/demo/demoData.js';
import type { InteractionDto } from '../../src/upstream/types.js';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

const HOUR = 3_600_000;
const now = new Date();
const generated = generateInteractions(60, now);
const sample = referenceInteraction();
const iso = (ms: number) => new Date(ms).toISOString();

const PAGE = `query Page($start: DateTime!, $end: DateTime, $include: InteractionInclude, $page: Int, $limit: Int) {
  interactions(start: $start, end: $end, include: $include, page: $page, limit: $limit) {
    items { guid } page count pageCount totalCount upTo
  }
}`;

describe('dashboard queries', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [sample, ...generated] });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('pages through a window, mirroring upstream meta', async () => {
    const start = now.getTime() - 30 * HOUR;
    const expected = generated
      .filter((i) => Date.parse(i.start as string) >= start)
      .sort((a, b) => Date.parse(a.start as string) - Date.parse(b.start as string))
      .map((i) => i.guid);
    // Three pages of 25, the last one partial: the window must hold between 51 and 74 items.
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.length).toBeLessThan(75);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const data = await harness.data(PAGE, {
        start: iso(start),
        end: iso(now.getTime()),
        page,
        limit: 25,
      });
      const result = data.interactions as {
        items: { guid: string }[];
        page: number;
        count: number;
        pageCount: number;
        totalCount: number;
        upTo: string;
      };
      expect(result).toMatchObject({
        page,
        pageCount: Math.ceil(expected.length / 25),
        totalCount: expected.length,
        count: expected.slice((page - 1) * 25, page * 25).length,
      });
      expect(Date.parse(result.upTo)).toBeGreaterThanOrEqual(now.getTime());
      seen.push(...result.items.map((i) => i.guid));
    }
    expect(seen).toEqual(expected);
    expect(harness.upstreamCalls()).toBe(3);
  });

  it.each([
    ['STARTED', 'Started'],
    ['STARTED_OR_ENDED', 'StartedOrEnded'],
    ['PROCESSED', 'Processed'],
  ])(
    'sends include %s upstream as %s, with the window in UTC and the paging',
    async (include, upstream) => {
      await harness.data(PAGE, {
        start: '2020-01-07T17:00:00+01:00',
        end: '2020-01-08T00:00:00Z',
        include,
        page: 2,
        limit: 10,
      });
      const [request] = harness.api.requests;
      const query = new URL(request?.path ?? '', 'http://x').searchParams;
      expect(Object.fromEntries(query)).toEqual({
        start: '2020-01-07T16:00:00.000Z',
        end: '2020-01-08T00:00:00.000Z',
        include: upstream,
        page: '2',
        limit: '10',
      });
    },
  );

  it('defaults to include Started, page 1, limit 25, and no end', async () => {
    await harness.data(PAGE, { start: iso(now.getTime() - HOUR) });
    const query = new URL(harness.api.requests[0]?.path ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      start: iso(now.getTime() - HOUR),
      include: 'Started',
      page: '1',
      limit: '25',
    });
  });

  const day = 24 * HOUR;
  it.each([
    [
      'end before start',
      { start: '2020-01-08T00:00:00Z', end: '2020-01-07T00:00:00Z' },
      'end',
      'before start',
    ],
    [
      'a window over 31 days',
      { start: '2020-01-01T00:00:00Z', end: '2020-02-01T00:00:01Z' },
      'end',
      '31 days',
    ],
    ['a window to now over 31 days', { start: iso(Date.now() - 32 * day) }, 'start', '31 days'],
    ['a start in the future without end', { start: iso(Date.now() + day) }, 'start', 'future'],
    [
      'limit 0',
      { start: '2020-01-07T00:00:00Z', end: '2020-01-08T00:00:00Z', limit: 0 },
      'limit',
      '1 to 5000',
    ],
    [
      'limit 5001',
      { start: '2020-01-07T00:00:00Z', end: '2020-01-08T00:00:00Z', limit: 5001 },
      'limit',
      '1 to 5000',
    ],
    [
      'page 0',
      { start: '2020-01-07T00:00:00Z', end: '2020-01-08T00:00:00Z', page: 0 },
      'page',
      '1 or more',
    ],
  ])(
    'refuses %s with BAD_USER_INPUT naming the argument, and no upstream call',
    async (_, variables, argument, words) => {
      const response = await harness.query(PAGE, variables);
      const [error] = response.body.errors ?? [];
      expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(error?.message).toContain(words);
      expect(harness.upstreamCalls()).toBe(0);
    },
  );

  it('refuses a malformed date with BAD_USER_INPUT naming the variable, and no upstream call', async () => {
    const response = await harness.query(PAGE, { start: '7 January 2020' });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toContain('$start');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('serves interaction(guid) of a listed item without another upstream call', async () => {
    const data = await harness.data(`{
      interactions(start: "2020-01-07T00:00:00Z", end: "2020-01-08T00:00:00Z") { items { guid } }
      interaction(guid: "${SAMPLE_GUID}") { guid metrics { talkTime } }
    }`);
    expect(data).toEqual({
      interactions: { items: [{ guid: SAMPLE_GUID }] },
      interaction: { guid: SAMPLE_GUID, metrics: { talkTime: 59165 } },
    });
    expect(harness.api.requests.map((r) => r.path.split('?')[0])).toEqual(['/stats/interactions']);
  });

  // A dashboard asks for both lists and an interaction in one operation: a failed list is an
  // error on its own path, and its siblings still come back, the guid fetch included.
  it.each([
    { failing: 'interactions', target: 'interactions' },
    { failing: 'ongoingInteractions', target: 'ongoing' },
  ])(
    'answers the other fields when $failing fails, with one error on its path',
    async ({ failing, target }) => {
      harness.api.inject(target, { kind: 'status', status: 500 }, 1);
      const response = await harness.query(`{
      interactions(start: "2020-01-07T00:00:00Z", end: "2020-01-08T00:00:00Z") { totalCount }
      ongoingInteractions { totalCount }
      interaction(guid: "${SAMPLE_GUID}") { guid }
    }`);
      const ongoing = generated.filter((i) => i.status === 'Ongoing').length;
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        interactions: { totalCount: 1 },
        ongoingInteractions: { totalCount: ongoing },
        interaction: { guid: SAMPLE_GUID },
        [failing]: null,
      });
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: [failing], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }),
      ]);
      // The guid is fetched on its own only when the window that lists it failed.
      const paths = harness.api.requests.map((r) => r.path.split('?')[0]).sort();
      expect(paths).toEqual(
        failing === 'interactions'
          ? [
              '/stats/interactions',
              `/stats/interactions/${SAMPLE_GUID}`,
              '/stats/interactions/ongoing',
            ]
          : ['/stats/interactions', '/stats/interactions/ongoing'],
      );
    },
  );

  it.each([
    ['no meta', { items: [] }],
    ['a meta without totalCount', { meta: { page: 1, count: 0, pageCount: 0 }, items: [] }],
    [
      'an item of the wrong shape',
      { meta: { page: 1, count: 1, pageCount: 1, totalCount: 1 }, items: [{ guid: 7 }] },
    ],
  ])('answers a list with %s as UPSTREAM_BAD_RESPONSE', async (_, body) => {
    harness.api.inject('ongoing', { kind: 'status', status: 200, body: JSON.stringify(body) }, 1);
    const response = await harness.query('{ ongoingInteractions { totalCount } }');
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('serves an empty window with pageCount 0', async () => {
    const data = await harness.data(PAGE, {
      start: '2001-01-01T00:00:00Z',
      end: '2001-01-02T00:00:00Z',
    });
    expect(data.interactions).toMatchObject({
      items: [],
      count: 0,
      pageCount: 0,
      totalCount: 0,
      page: 1,
    });
  });

  it('lists ongoing interactions with their null durations', async () => {
    const data = await harness.data(`{ ongoingInteractions(limit: 10) {
      totalCount items { guid status duration end channels { duration endReason end } metrics { talkTime timeToAnswer } }
    } }`);
    const ongoing = generated.filter((i) => i.status === 'Ongoing');
    const page = data.ongoingInteractions as {
      totalCount: number;
      items: Record<string, unknown>[];
    };
    expect(page.totalCount).toBe(ongoing.length);
    expect(page.items.map((i) => i.guid)).toEqual(ongoing.map((i) => i.guid));
    for (const item of page.items) {
      expect(item).toMatchObject({ status: 'Ongoing', duration: null, end: null });
      expect(item.channels).toEqual(
        expect.arrayContaining([{ duration: null, endReason: null, end: null }]),
      );
      // Still talking: unknown. Never answered (yet): nothing to add up.
      const source = ongoing.find((i) => i.guid === item.guid);
      const answered = source?.channels.some((c) => c.party?.role === 'Agent');
      expect((item.metrics as { talkTime: unknown }).talkTime).toBe(answered ? null : 0);
    }
    expect(ongoing.some((i) => i.channels.some((c) => c.party?.role === 'Agent'))).toBe(true);
    expect(new URL(harness.api.requests[0]?.path ?? '', 'http://x').searchParams.get('limit')).toBe(
      '10',
    );
  });
});

describe('derived fields of the reference sample', () => {
  let harness: Harness;
  const ongoing: InteractionDto = {
    guid: '33333333-2222-4333-8444-555555555555',
    status: 'Ongoing',
    start: '2026-11-24T10:00:00.000Z',
    duration: null,
    channels: [
      {
        guid: 'c1',
        offset: 0,
        duration: null,
        endReason: null,
        party: { role: 'External' },
        events: [
          { type: 'Queue', offset: 1000, duration: 4000 },
          { type: 'Ringing', offset: 0, duration: 0 },
        ],
      },
      {
        guid: 'c2',
        offset: 5000,
        duration: null,
        endReason: null,
        party: { id: '7', role: 'Agent' },
        events: [
          { type: 'Ringing', offset: 5000, duration: 2000 },
          { type: 'Connected', offset: 7000, duration: null },
        ],
      },
    ],
  };
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [sample, ongoing] });
  });
  afterAll(() => harness.stop());

  const METRICS =
    'metrics { queueTime ringTime talkTime wrapTime timeToAnswer agentCount recorded }';

  it('computes the metrics and end of the reference sample', async () => {
    const data = await harness.data(
      `{ interaction(guid: "${SAMPLE_GUID}") { start end ${METRICS} } }`,
    );
    expect(data.interaction).toEqual({
      start: '2020-01-07T16:50:59.899Z',
      end: '2020-01-07T16:52:23.239Z',
      metrics: {
        queueTime: 7140,
        ringTime: 6217,
        talkTime: 59165,
        wrapTime: 3871,
        timeToAnswer: 20304,
        agentCount: 1,
        recorded: true,
      },
    });
  });

  it('computes what is known of an ongoing interaction, and null for what is not', async () => {
    const data = await harness.data(`{ interaction(guid: "${ongoing.guid}") { end ${METRICS} } }`);
    expect(data.interaction).toEqual({
      end: null,
      metrics: {
        queueTime: 4000,
        ringTime: 2000,
        talkTime: null,
        wrapTime: 0,
        timeToAnswer: 7000,
        agentCount: 1,
        recorded: false,
      },
    });
  });

  it('merges every channel into one timeline ordered by offset, stable for equal offsets', async () => {
    const data = await harness.data(
      `{ interaction(guid: "${SAMPLE_GUID}") { events { type offset channel { guid } } } }`,
    );
    const events = (
      data.interaction as { events: { type: string; offset: number; channel: { guid: string } }[] }
    ).events;
    const expected = sample.channels
      .flatMap((channel) =>
        channel.events.map((event) => ({
          type: event.type,
          offset: event.offset,
          channel: { guid: channel.guid },
        })),
      )
      .sort((a, b) => (a.offset as number) - (b.offset as number));
    expect(events).toEqual(expected);
    expect(events).toHaveLength(42);
    // Equal offsets keep upstream order: both CallRecording events sit at 20322, external first.
    expect(events.filter((e) => e.offset === 20322).map((e) => e.channel.guid)).toEqual(
      sample.channels.map((c) => c.guid),
    );
  });

  it('filters the timeline and a channel by upstream type', async () => {
    const data = await harness.data(`{ interaction(guid: "${SAMPLE_GUID}") {
      events(types: ["Connected", "Wrap", "NoSuchKind"]) { __typename offset }
      channels { events(types: ["Ringing"]) { offset } }
    } }`);
    expect(data.interaction).toEqual({
      events: [
        { __typename: 'ConnectedEvent', offset: 0 },
        { __typename: 'ConnectedEvent', offset: 20304 },
        { __typename: 'WrapEvent', offset: 79469 },
      ],
      channels: [{ events: [{ offset: 0 }] }, { events: [{ offset: 14087 }] }],
    });
  });

  it('gives channels and events their wall-clock times', async () => {
    const data = await harness.data(`{ interaction(guid: "${SAMPLE_GUID}") {
      channels { start end }
      events(types: ["Queue", "Wrap"]) { at end }
    } }`);
    const start = Date.parse(sample.start as string);
    expect(data.interaction).toEqual({
      channels: [
        { start: iso(start), end: iso(start + 81328) },
        { start: iso(start + 14087), end: iso(start + 14087 + 69253) },
      ],
      events: [
        { at: iso(start + 13164), end: iso(start + 13164 + 7140) },
        { at: iso(start + 79469), end: iso(start + 79469 + 3871) },
      ],
    });
  });
});
