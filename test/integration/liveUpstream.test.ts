import type { Client } from 'graphql-ws';
import { random } from '../../src/demo/demoData.js';
import { incomingCall } from '../../src/demo/liveCalls.js';
import { TOKEN, type Harness } from '../support/harness.js';
import { liveClient, liveHarness, metric, subscribe } from '../support/live.js';
import { sleep, waitFor } from '../support/wait.js';

// The live feeds' side facing the Stats API: one poll per token, endpoint and interval however
// many subscribers share the token, none once they have gone, and what upstream's refusals and
// failures do to the subscriptions.

const UPDATES = 'subscription { interactionUpdates { guid status } }';
const ONGOING = 'subscription { ongoingInteractions { totalCount } }';
const OTHER = 'token-b';

describe('live feeds against the Stats API', () => {
  let harness: Harness;
  let clients: Client[] = [];
  const next = random(5);
  const client = (token = TOKEN) => {
    const c = liveClient(harness.gateway.url, { Authorization: `Bearer ${token}` });
    clients.push(c);
    return c;
  };
  const polls = (endpoint: 'interactions?' | 'interactions/ongoing', token = TOKEN) =>
    harness.api.requests.filter(
      (r) =>
        r.path.startsWith(`/stats/${endpoint}`) && r.headers.authorization === `Bearer ${token}`,
    ).length;

  async function start(pollMs: number): Promise<void> {
    harness = await liveHarness({ [TOKEN]: [], [OTHER]: [] }, { pollMs });
  }
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    await harness.stop();
  });

  it('polls once per interval and endpoint for five subscribers of one token, and not at all once they have gone', async () => {
    await start(300);
    const feeds = [1, 2, 3, 4, 5].flatMap(() => {
      const c = client();
      return [subscribe(c, UPDATES), subscribe(c, ONGOING)];
    });
    await Promise.all(feeds.filter((_, i) => i % 2 === 1).map((f) => f.waitForResults(1)));
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="interactions"}')).toBe(1);
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="ongoing"}')).toBe(1);
    expect(
      await metric(harness, 'stats_gateway_live_subscriptions{subscription="interactionUpdates"}'),
    ).toBe(5);

    const [changes, ongoing] = [polls('interactions?'), polls('interactions/ongoing')];
    await sleep(1560); // five intervals
    const during = [polls('interactions?') - changes, polls('interactions/ongoing') - ongoing];
    for (const count of during) {
      expect(count).toBeGreaterThanOrEqual(4);
      expect(count).toBeLessThanOrEqual(6);
    }

    // One subscriber leaving changes nothing; the last one leaving stops both pollers.
    feeds.slice(0, 8).forEach((feed) => feed.unsubscribe());
    await sleep(300);
    const stillPolled = polls('interactions?');
    await sleep(400);
    expect(polls('interactions?')).toBeGreaterThan(stillPolled);
    feeds.slice(8).forEach((feed) => feed.unsubscribe());
    await sleep(200);
    const after = [polls('interactions?'), polls('interactions/ongoing')];
    await sleep(1000);
    expect([polls('interactions?'), polls('interactions/ongoing')]).toEqual(after);
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="interactions"}')).toBe(0);
    expect(await metric(harness, 'stats_gateway_live_pollers{endpoint="ongoing"}')).toBe(0);
  });

  it("ends a revoked token's subscriptions with UNAUTHENTICATED and completes them; HTTP and other tokens carry on", async () => {
    await start(250);
    const revoked = [subscribe(client(), UPDATES), subscribe(client(), ONGOING)];
    const other = subscribe(client(OTHER), UPDATES);
    await revoked[1]?.waitForResults(1);
    harness.api.revoke(TOKEN);
    for (const feed of revoked) {
      await feed.ended();
      expect(feed.completed).toBe(true);
      expect(feed.error).toBeUndefined();
      const last = feed.results.at(-1);
      expect(last?.data).toBeNull();
      expect(last?.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
      expect(JSON.stringify(last)).not.toContain(TOKEN);
    }
    // Its pollers stopped: no more requests with that token.
    const refused = polls('interactions?') + polls('interactions/ongoing');
    await sleep(800);
    expect(polls('interactions?') + polls('interactions/ongoing')).toBe(refused);

    const call = incomingCall(next, Date.now());
    harness.api.put(OTHER, call);
    await other.waitForResults(1);
    expect(other.completed).toBe(false);
    const http = await harness.query('{ ongoingInteractions { totalCount } }', undefined, {
      authorization: `Bearer ${OTHER}`,
    });
    expect(http.body).toEqual({ data: { ongoingInteractions: { totalCount: 1 } } });
  });

  it('ends subscriptions with FORBIDDEN when the Stats API answers 403', async () => {
    await start(250);
    harness.api.inject('ongoing', { kind: 'status', status: 403 }, 1);
    const feed = subscribe(client(), ONGOING);
    await feed.ended();
    expect(feed.results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(feed.completed).toBe(true);
  });

  it("waits for upstream's Retry-After after a 429, keeping its subscribers, and carries on", async () => {
    await start(250);
    const feed = subscribe(client(), UPDATES);
    await waitFor(() => polls('interactions?') >= 2);
    harness.api.inject(
      'interactions',
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      1,
    );
    const refusedAt = polls('interactions?') + 1;
    await waitFor(() => polls('interactions?') >= refusedAt);
    const refused = Date.now();
    await waitFor(() => polls('interactions?') > refusedAt, 3000);
    expect(Date.now() - refused).toBeGreaterThanOrEqual(900);
    expect(
      await metric(
        harness,
        'stats_gateway_live_polls_total{endpoint="interactions",outcome="rate_limited"}',
      ),
    ).toBe(1);

    const call = incomingCall(next, Date.now());
    harness.api.put(TOKEN, call);
    await feed.waitForResults(1);
    expect(feed.completed || feed.error !== undefined).toBe(false);
  });

  it('tries again on the next interval after 5xx, keeping its subscribers', async () => {
    await start(250);
    const feed = subscribe(client(), ONGOING);
    await feed.waitForResults(1);
    harness.api.inject('ongoing', { kind: 'status', status: 503 });
    await sleep(1000);
    harness.api.clearFaults();
    expect(
      await metric(
        harness,
        'stats_gateway_live_polls_total{endpoint="ongoing",outcome="unavailable"}',
      ),
    ).toBeGreaterThanOrEqual(2);
    harness.api.put(TOKEN, incomingCall(next, Date.now()));
    await feed.waitForResults(2);
    expect(feed.results.every((r) => r.errors === undefined)).toBe(true);
    expect(feed.completed || feed.error !== undefined).toBe(false);
  });
});
