import { readdirSync, readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildSchema, Kind, parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { DEMO_VIRTUAL_QUEUES, generateInteractions } from '../../src/demo/demoData.js';
import { loadTypeDefs } from '../../src/graphql/schema.js';
import * as client from '../../examples/client/graphql.js';
import {
  GatewayError,
  mobileSummary,
  request,
  watchQueues,
  watchWallboard,
} from '../../examples/usage.js';
import { random } from '../../src/demo/demoData.js';
import { answeredCall, incomingCall } from '../../src/demo/liveCalls.js';
import { liveClient, liveHarness, subscribe, wsUrl } from '../support/live.js';
import WebSocket from 'ws';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait.js';

// examples/*.graphql, what dashboards and mobile apps send, checked three ways: against the
// schema, against the generated client (codegen:check guards it in CI; this says which file),
// and over HTTP through examples/usage.ts, the fetch pattern consumers copy.
const DIR = new URL('../../examples/', import.meta.url);
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.graphql'))
  .sort();
const text = (file: string) => readFileSync(new URL(file, DIR), 'utf8');
const operationsOf = (file: string) =>
  parse(text(file)).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );

// Operations run against the gateway below: a new example must be added there too.
const RUN = [
  'DayList',
  'InteractionFeed',
  'InteractionTimeline',
  'LiveWallboard',
  'MobileSummary',
  'One',
  'Ongoing',
  'QueueReport',
  'QueueWallboard',
];

const DAY = 86_400_000;
const NOW = new Date('2025-03-04T18:00:00.000Z');
// More than a page of 100, so the day list is paged as a dashboard pages it.
const generated = generateInteractions(150, NOW);
const sample = referenceInteraction();

describe('examples/*.graphql', () => {
  const schema = buildSchema(loadTypeDefs());

  it('each have a run against the gateway below', () => {
    expect(files).toContain('full-interaction.graphql');
    expect(files.map((file) => operationsOf(file)[0]?.name?.value).sort()).toEqual(RUN);
  });

  it.each(files)('%s is one named operation with a comment saying who sends it', (file) => {
    expect(text(file)).toMatch(/^# \S/);
    const operations = operationsOf(file);
    expect(operations).toHaveLength(1);
    expect(operations[0]?.name?.value).toMatch(/^[A-Z]\w+$/);
  });

  it.each(files)('%s validates against the schema', (file) => {
    expect(validate(schema, parse(text(file))).map((e) => e.message)).toEqual([]);
  });

  it.each(files)('%s is what the generated client sends', (file) => {
    const name = operationsOf(file)[0]?.name?.value as string;
    const generatedDocument = (client as Record<string, unknown>)[`${name}Document`];
    expect(generatedDocument).toBeDefined();
    expect(print(generatedDocument as Parameters<typeof print>[0])).toBe(print(parse(text(file))));
  });
});

describe('the examples against the gateway', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [sample, ...generated] },
      { virtualQueues: DEMO_VIRTUAL_QUEUES },
    );
  });
  afterAll(() => harness.stop());
  const send = <Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ) => request(harness.gateway.url, TOKEN, document, variables);

  it('InteractionTimeline merges the channels into one timeline ordered by `at`', async () => {
    const { interaction } = await send(client.InteractionTimelineDocument, { guid: SAMPLE_GUID });
    expect(interaction?.metrics).toMatchObject({ talkTime: 59165, agentCount: 1, recorded: true });
    const events = interaction?.events ?? [];
    expect(events.map((e) => e.type)).toEqual([
      'Ringing',
      'Connected',
      'Queue',
      'Ringing',
      'Connected',
      'Wrap',
    ]);
    expect(new Set(events.map((e) => e.channel.party?.role))).toEqual(
      new Set(['External', 'Agent']),
    );
    const times = events.map((e) => Date.parse(e.at as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const e of events) {
      expect(Date.parse(e.end as string) - Date.parse(e.at as string)).toBe(e.duration);
    }

    // `types: null` asks for every event, still in `at` order.
    const all = await send(client.InteractionTimelineDocument, { guid: SAMPLE_GUID, types: null });
    const allTimes = (all.interaction?.events ?? []).map((e) => Date.parse(e.at as string));
    expect(allTimes).toHaveLength(42);
    expect(allTimes).toEqual([...allTimes].sort((a, b) => a - b));
  });

  it("DayList pages through a day's interactions with their timings", async () => {
    const start = new Date(NOW.getTime() - DAY).toISOString();
    const expected = generated.map((i) => i.guid);
    const seen: string[] = [];
    let pageCount = 1;
    for (let page = 1; page <= pageCount; page++) {
      const { interactions } = await send(client.DayListDocument, {
        start,
        end: NOW.toISOString(),
        page,
      });
      // A page is null only beside an error, and request() throws on errors.
      if (!interactions) throw new Error('DayList answered no page and no error');
      expect(interactions).toMatchObject({ page, totalCount: expected.length });
      pageCount = interactions.pageCount;
      for (const item of interactions.items) {
        seen.push(item.guid);
        // Only a finished interaction has an end; every item carries its metrics.
        expect(item.end === null).toBe(item.status === 'Ongoing');
        expect(Object.keys(item.metrics)).toEqual(['queueTime', 'talkTime', 'timeToAnswer']);
      }
    }
    expect(pageCount).toBe(2);
    expect(seen).toEqual(expected);
  });

  it('Ongoing lists the calls in progress, with who is on them', async () => {
    const { ongoingInteractions } = await send(client.OngoingDocument, {});
    const ongoing = generated.filter((i) => i.status === 'Ongoing');
    expect(ongoing.length).toBeGreaterThan(0);
    if (!ongoingInteractions) throw new Error('Ongoing answered no page and no error');
    expect(ongoingInteractions.totalCount).toBe(ongoing.length);
    expect(ongoingInteractions.items.map((i) => i.guid)).toEqual(ongoing.map((i) => i.guid));
    for (const item of ongoingInteractions.items) {
      expect(item.channels.map((c) => c.party?.role)).toContain('External');
    }
  });

  it('MobileSummary has exactly its listed fields, a fraction of the full payload', async () => {
    const summary = await mobileSummary(harness.gateway.url, TOKEN, SAMPLE_GUID);
    expect(summary).toEqual({
      guid: SAMPLE_GUID,
      status: 'Completed',
      direction: sample.direction,
      start: sample.start,
      duration: 83340,
      serviceName: sample.serviceName,
      outcome: sample.outcome ?? null,
      metrics: { timeToAnswer: expect.any(Number), talkTime: 59165 },
    });
    expect(Object.keys(summary ?? {})).toEqual([
      'guid',
      'status',
      'direction',
      'start',
      'duration',
      'serviceName',
      'outcome',
      'metrics',
    ]);
    const full = await send(client.OneDocument, { guid: SAMPLE_GUID });
    expect(JSON.stringify(summary).length * 10).toBeLessThan(JSON.stringify(full).length);
  });

  it('One, the full interaction, runs as the tests and the benchmark run it', async () => {
    const { interaction } = await send(client.OneDocument, { guid: SAMPLE_GUID });
    expect(interaction?.guid).toBe(SAMPLE_GUID);
    expect(interaction?.channels.flatMap((c) => c.events)).toHaveLength(42);
  });

  it('QueueReport gives each ACD queue’s figures for a day, every finished queue stay counted', async () => {
    const start = new Date(NOW.getTime() - DAY);
    const stays = generated.flatMap((call) =>
      call.channels[0]?.events
        .filter((e) => e.type === 'Queue' && e.duration !== null && e.name !== 'Priority')
        .map((e) => Date.parse(call.start as string) + (e.offset as number))
        .filter((entered) => entered >= start.getTime() && entered < NOW.getTime()),
    );
    const { queueStats } = await send(client.QueueReportDocument, {
      start: start.toISOString(),
      end: NOW.toISOString(),
    });
    expect(queueStats?.total.offered).toBe(stays.length);
    expect(queueStats?.queues.map((q) => q.queue)).toEqual(['Billing', 'Sales', 'Support']);
    const sum = (key: 'offered' | 'answered') => queueStats?.queues.reduce((n, q) => n + q[key], 0);
    expect(sum('offered')).toBe(queueStats?.total.offered);
    expect(sum('answered')).toBe(queueStats?.total.answered);
  });

  it("the fetch pattern surfaces the gateway's error codes", async () => {
    const refused = send(client.MobileSummaryDocument, { guid: 'not-a-guid' });
    await expect(refused).rejects.toBeInstanceOf(GatewayError);
    await expect(refused).rejects.toThrow(/BAD_USER_INPUT/);
  });
});

// An account of its own: the other live examples' calls would count in its queues.
const QUEUE_TOKEN = 'queue-wallboard';

describe('the live examples against the gateway, over WebSocket', () => {
  let harness: Harness;
  const next = random(9);
  beforeAll(async () => {
    harness = await liveHarness({ [TOKEN]: [], [QUEUE_TOKEN]: [] });
  });
  afterAll(() => harness.stop());

  it('LiveWallboard, through watchWallboard, shows each call in progress with its queue time and agent', async () => {
    const pages: client.LiveWallboardSubscription['ongoingInteractions'][] = [];
    let ended: Error | undefined | 'no' = 'no';
    const now = Date.now();
    const call = incomingCall(next, now);
    harness.api.put(TOKEN, call);
    const stop = watchWallboard(
      wsUrl(harness.gateway.url),
      TOKEN,
      (page) => pages.push(page),
      (error) => (ended = error),
      WebSocket,
    );
    try {
      await waitFor(() => pages.length === 1);
      const queued = pages[0]?.items[0];
      expect(queued?.guid).toBe(call.guid);
      expect(queued?.metrics.queueTime).toBeNull();
      expect(queued?.channels.map((c) => c.party?.role)).toEqual(['External']);

      harness.api.put(TOKEN, answeredCall(call, next, now + 30_000));
      await waitFor(() => pages.length === 2);
      const answered = pages[1]?.items[0];
      expect(answered?.metrics.queueTime).toBe(30_000 + 4000 - 3000 - 4000);
      const agent = answered?.channels.find((c) => c.party?.role === 'Agent');
      expect(agent?.party?.id).toMatch(/^\d+$/);
      expect(ended).toBe('no');
    } finally {
      stop();
    }
  });

  it('QueueWallboard, through watchQueues, shows a call waiting and then its answered visit', async () => {
    const reports: client.QueueWallboardSubscription['queueStatsUpdates'][] = [];
    let ended: Error | undefined | 'no' = 'no';
    const call = incomingCall(next, Date.now());
    harness.api.put(QUEUE_TOKEN, call);
    const stop = watchQueues(
      wsUrl(harness.gateway.url),
      QUEUE_TOKEN,
      new Date(Date.now() - 60_000),
      (report) => reports.push(report),
      (error) => (ended = error),
      WebSocket,
    );
    try {
      await waitFor(() => reports.length === 1);
      expect(reports[0]?.total).toMatchObject({ offered: 0, waiting: 1 });
      harness.api.put(QUEUE_TOKEN, answeredCall(call, next, Date.now()));
      // The visit and the end of the wait come from two feeds, in either order.
      await waitFor(
        () => reports.at(-1)?.total.offered === 1 && reports.at(-1)?.total.waiting === 0,
      );
      expect(reports.at(-1)?.queues).toMatchObject([{ offered: 1, answered: 1, waiting: 0 }]);
      expect(ended).toBe('no');
    } finally {
      stop();
    }
  });

  it('InteractionFeed sends a call as it starts and as it changes, typed by the generated client', async () => {
    const ws = liveClient(harness.gateway.url);
    const call = incomingCall(next, Date.now());
    // Followed by guid: the first poll looks back one interval, so the calls of the test
    // before may come first on an unfiltered feed.
    const variables: client.InteractionFeedSubscriptionVariables = { guids: [call.guid] };
    const feed = subscribe(ws, print(client.InteractionFeedDocument), variables);
    try {
      await sleep(500);
      harness.api.put(TOKEN, call);
      harness.api.put(TOKEN, answeredCall(call, next, Date.now()));
      const [first] = await feed.waitForResults(1);
      const update = first?.data as client.InteractionFeedSubscription;
      expect(update.interactionUpdates).toMatchObject({
        guid: call.guid,
        status: 'Ongoing',
        end: null,
        metrics: { agentCount: 1 },
      });
    } finally {
      await ws.dispose();
    }
  });
});
