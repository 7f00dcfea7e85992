import type { Client } from 'graphql-ws';
import { random } from '../../src/demo/demoData.js';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import type { InteractionDto } from '../../src/upstream/types.js';
import type { Harness } from '../support/harness.js';
import { liveClient, liveHarness, subscribe } from '../support/live.js';
import { sleep } from '../support/wait.js';

// What a dashboard sees over a live feed, over real sockets: the stand-in's calls start,
// progress and end while graphql-ws clients watch. Each test has its own token (account), so
// one gateway serves the file; its feeds poll every 250 ms to keep the tests short.

const POLL_MS = 250;
const ONGOING = `subscription { ongoingInteractions { totalCount count pageCount items { guid status } } }`;
const UPDATES = `subscription Updates($guids: [ID!]) {
  interactionUpdates(guids: $guids) {
    guid status duration end outcome
    metrics { queueTime timeToAnswer agentCount }
    events { type at end }
    channels { party { role id } events { type offset duration } }
  }
}`;

type Page = { totalCount: number; count: number; pageCount: number; items: { guid: string }[] };
type Update = {
  guid: string;
  status: string;
  end: string | null;
  metrics: { queueTime: number | null; timeToAnswer: number | null; agentCount: number };
  events: { type: string }[];
};

const TOKENS = ['snapshot', 'changes', 'guids', 'small-page', 'iso-a', 'iso-b', 'query'];

describe('live feeds', () => {
  let harness: Harness;
  let clients: Client[] = [];
  const next = random(3);
  const client = (token: string) => {
    const c = liveClient(harness.gateway.url, { Authorization: `Bearer ${token}` });
    clients.push(c);
    return c;
  };
  const put = (token: string, call: InteractionDto) => harness.api.put(token, call);
  const pageOf = (result: { data?: Record<string, unknown> | null } | undefined) =>
    result?.data?.ongoingInteractions as Page;
  const updateOf = (result: { data?: Record<string, unknown> | null } | undefined) =>
    result?.data?.interactionUpdates as Update;

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

  it('sends the ongoing page at once, then again only when it changes', async () => {
    const first = incomingCall(next, Date.now());
    put('snapshot', first);
    const feed = subscribe(client('snapshot'), ONGOING);
    const [initial] = await feed.waitForResults(1);
    expect(pageOf(initial)).toMatchObject({ totalCount: 1, count: 1, pageCount: 1 });
    expect(pageOf(initial).items.map((i) => i.guid)).toEqual([first.guid]);

    await sleep(POLL_MS * 4);
    expect(feed.results).toHaveLength(1); // polled again and again, nothing changed, nothing sent

    const second = incomingCall(next, Date.now());
    put('snapshot', second);
    await feed.waitForResults(2);
    expect(pageOf(feed.results[1]).items.map((i) => i.guid)).toEqual([first.guid, second.guid]);

    put('snapshot', answeredCall(second, next, Date.now())); // one of them changes
    await feed.waitForResults(3);
    put('snapshot', endedCall(first, Date.now())); // one leaves
    await feed.waitForResults(4);
    expect(pageOf(feed.results[3]).items.map((i) => i.guid)).toEqual([second.guid]);
    await sleep(POLL_MS * 3);
    expect(feed.results).toHaveLength(4);
    expect(feed.results.every((r) => r.errors === undefined)).toBe(true);
  });

  it('gives a later subscriber the current page at once, cut to its own limit', async () => {
    const calls = [1, 2, 3].map(() => incomingCall(next, Date.now()));
    calls.forEach((call) => put('small-page', call));
    const all = subscribe(client('small-page'), ONGOING);
    await all.waitForResults(1);
    const small = subscribe(
      client('small-page'),
      `subscription { ongoingInteractions(limit: 2) { totalCount count pageCount items { guid } } }`,
    );
    const [page] = await small.waitForResults(1, POLL_MS); // before the next poll
    expect(pageOf(page)).toMatchObject({ totalCount: 3, count: 2, pageCount: 2 });
    expect(pageOf(page).items.map((i) => i.guid)).toEqual(calls.slice(0, 2).map((c) => c.guid));

    // A change beyond its first two items changes nothing it shows: only the full page is sent.
    put('small-page', answeredCall(calls[2] as InteractionDto, next, Date.now()));
    await all.waitForResults(2);
    await sleep(POLL_MS * 2);
    expect(small.results).toHaveLength(1);
  });

  it('sends an interaction as it appears, progresses and completes, each change once', async () => {
    const feed = subscribe(client('changes'), UPDATES);
    await sleep(POLL_MS * 2); // the poller is running and has seen an empty account
    const now = Date.now();
    const call = incomingCall(next, now); // 4 s of plan and menu, then the queue
    put('changes', call);
    await feed.waitForResults(1);
    const answered = answeredCall(call, next, now + 20_000);
    put('changes', answered);
    await feed.waitForResults(2);
    put('changes', endedCall(answered, now + 90_000));
    await feed.waitForResults(3);
    await sleep(POLL_MS * 4); // upstream returns the completed call again: it is not resent
    const updates = feed.results.map(updateOf);
    expect(updates.map((u) => [u.guid, u.status])).toEqual([
      [call.guid, 'Ongoing'],
      [call.guid, 'Ongoing'],
      [call.guid, 'Completed'],
    ]);
    // Derived fields work on what the feed sends.
    expect(updates[0]?.end).toBeNull();
    expect(updates[0]?.metrics).toMatchObject({ queueTime: null, agentCount: 0 });
    // Answered 24 s in, after 3 s of ringing: 17 s in the queue.
    expect(updates[1]?.metrics).toMatchObject({ queueTime: 17_000, agentCount: 1 });
    expect(updates[2]?.end).toEqual(expect.any(String));
    expect(updates[2]?.events.map((e) => e.type)).toContain('Queue');
  });

  it('sends only the interactions named in `guids`', async () => {
    const [watched, other] = [incomingCall(next, Date.now()), incomingCall(next, Date.now())];
    const feed = subscribe(client('guids'), UPDATES, {
      guids: [(watched as InteractionDto).guid.toUpperCase()],
    });
    await sleep(POLL_MS * 2);
    put('guids', other as InteractionDto);
    put('guids', watched as InteractionDto);
    put('guids', endedCall(other as InteractionDto, Date.now()));
    await feed.waitForResults(1);
    put('guids', endedCall(watched as InteractionDto, Date.now()));
    await feed.waitForResults(2);
    await sleep(POLL_MS * 2);
    expect(feed.results.map((r) => updateOf(r).guid)).toEqual([watched?.guid, watched?.guid]);
  });

  it("never shows one token's subscribers another token's interactions", async () => {
    const a = subscribe(client('iso-a'), UPDATES);
    const b = subscribe(client('iso-b'), UPDATES);
    const aOngoing = subscribe(client('iso-a'), ONGOING);
    await sleep(POLL_MS * 2);
    const [callA, callB] = [incomingCall(next, Date.now()), incomingCall(next, Date.now())];
    put('iso-a', callA);
    put('iso-b', callB);
    await a.waitForResults(1);
    await b.waitForResults(1);
    await aOngoing.waitForResults(2);
    await sleep(POLL_MS * 2);
    expect(a.results.map((r) => updateOf(r).guid)).toEqual([callA.guid]);
    expect(b.results.map((r) => updateOf(r).guid)).toEqual([callB.guid]);
    expect(pageOf(aOngoing.results.at(-1)).items.map((i) => i.guid)).toEqual([callA.guid]);
    // Each token was polled with its own credential.
    const polled = harness.api.requests.map((r) => r.headers.authorization);
    expect(polled).toContain('Bearer iso-a');
    expect(polled).toContain('Bearer iso-b');
  });

  it('runs queries over the socket too', async () => {
    const call = incomingCall(next, Date.now());
    put('query', call);
    const result = await client('query')
      .iterate({
        query: `query { ongoingInteractions { items { guid } } }`,
      })
      .next();
    expect(result.value).toEqual({
      data: { ongoingInteractions: { items: [{ guid: call.guid }] } },
    });
  });
});
