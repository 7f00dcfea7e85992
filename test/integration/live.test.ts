import type { Client } from 'graphql-ws';
import { answeredCall, endedCall, incomingCall } from '../../src/demo/liveCalls.js';
import { random } from '../../src/demo/demoData.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { liveClient, subscribe } from '../support/live.js';
import { sleep } from '../support/wait.js';

// Live feeds over real sockets: the stand-in's calls start, progress and end while a
// graphql-ws client watches. LIVE_POLL_MS is at its minimum, so each test lasts a few seconds.

const POLL_MS = 1000;
const ONGOING = `subscription { ongoingInteractions { totalCount count items { guid status channels { party { role id } } } } }`;
const UPDATES = `subscription Updates($guids: [ID!]) {
  interactionUpdates(guids: $guids) {
    guid status duration end outcome
    metrics { queueTime timeToAnswer agentCount }
    events { type at end }
  }
}`;

type Page = { totalCount: number; items: { guid: string; status: string }[] };
type Update = { guid: string; status: string; end: string | null };

describe('live feeds', () => {
  let harness: Harness;
  let clients: Client[] = [];
  const next = random(3);
  const put = (call: Parameters<Harness['api']['put']>[1]) => harness.api.put(TOKEN, call);
  const client = () => {
    const c = liveClient(harness.gateway.url);
    clients.push(c);
    return c;
  };
  const interactionRequests = () =>
    harness.api.requests.filter((r) => r.path.startsWith('/stats/interactions?')).length;

  beforeEach(async () => {
    harness = await startHarness({ [TOKEN]: [] }, { env: { LIVE_POLL_MS: String(POLL_MS) } });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    await harness.stop();
  });

  it('sends the ongoing page at once, then again only when it changes', async () => {
    const first = incomingCall(next, Date.now());
    put(first);
    const feed = subscribe(client(), ONGOING);
    const [initial] = await feed.waitForResults(1);
    const page = initial?.data?.ongoingInteractions as Page;
    expect(page.totalCount).toBe(1);
    expect(page.items.map((i) => i.guid)).toEqual([first.guid]);

    await sleep(POLL_MS * 2.5);
    expect(feed.results).toHaveLength(1); // polled again, nothing changed, nothing sent

    const second = incomingCall(next, Date.now());
    put(second);
    const pages = await feed.waitForResults(2);
    expect((pages[1]?.data?.ongoingInteractions as Page).items.map((i) => i.guid)).toEqual([
      first.guid,
      second.guid,
    ]);

    put(endedCall(first, Date.now()));
    await feed.waitForResults(3);
    expect((feed.results[2]?.data?.ongoingInteractions as Page).items.map((i) => i.guid)).toEqual([
      second.guid,
    ]);
    expect(feed.results.every((r) => r.errors === undefined)).toBe(true);
  });

  it('sends an interaction as it appears, progresses and completes, each change once', async () => {
    const feed = subscribe(client(), UPDATES);
    await sleep(POLL_MS * 1.5); // the poller has started and seen an empty account
    const call = incomingCall(next, Date.now());
    put(call);
    await feed.waitForResults(1, 3000);
    put(answeredCall(call, next, Date.now()));
    await feed.waitForResults(2, 3000);
    const ended = endedCall(answeredCall(call, next, Date.now()), Date.now() + 60_000);
    put(ended);
    await feed.waitForResults(3, 3000);
    await sleep(POLL_MS * 2.5);
    const updates = feed.results.map((r) => r.data?.interactionUpdates as Update);
    expect(updates.map((u) => [u.guid, u.status])).toEqual([
      [call.guid, 'Ongoing'],
      [call.guid, 'Ongoing'],
      [call.guid, 'Completed'],
    ]);
    expect(updates[0]?.end).toBeNull();
    expect(updates[2]?.end).toEqual(expect.any(String));
    expect(interactionRequests()).toBeGreaterThanOrEqual(5);
  });
});
