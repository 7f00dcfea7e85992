import { referenceInteraction, variant } from '../support/fixture.js';
import { harnessPerTest, TOKEN } from '../support/harness.js';
import { waitFor } from '../support/wait.js';

// The bounds on concurrent Stats API requests, measured where they matter: at the stand-in. A
// token's own bound is a window learned from upstream; a stand-in that answers 429 above a
// concurrency of its choosing plays upstream's fair-usage limit.

const OTHER = 'token-b';
const BY_GUID = 'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }';

const guids = (prefix: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `00000000-0000-4000-8000-${prefix}${i.toString(16).padStart(11, '0')}`,
  );
const accounts = {
  [TOKEN]: [referenceInteraction(), ...guids(1, 100).map((guid) => variant(guid))],
  [OTHER]: guids(2, 100).map((guid) => variant(guid)),
};
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bounds on concurrent upstream requests', () => {
  const { start, started } = harnessPerTest();

  it('keeps one token to UPSTREAM_CONCURRENCY_PER_TOKEN requests in flight', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY_PER_TOKEN: '2' },
      latencyMs: 30,
    });
    const wanted = guids(1, 6);
    const data = await harness.data(BY_GUID, { g: wanted });
    expect(data.interactionsByGuid).toEqual(wanted.map((guid) => ({ guid })));
    expect(harness.upstreamCalls()).toBe(6);
    expect(harness.api.peakInFlight(TOKEN)).toBe(2);
  });

  it('keeps one token to its limit however its Authorization header is spelled', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY_PER_TOKEN: '2' },
      latencyMs: 30,
    });
    // Upstream reads all of these as one token; each operation asks for one guid.
    const spellings = ['Bearer', 'bearer', 'BEARER', 'Bearer ', 'bEaReR', 'Bearer\t'];
    const wanted = guids(1, 20);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        started().data(
          BY_GUID,
          { g: [wanted[i % 20]] },
          {
            authorization: `${spellings[i % spellings.length]} ${TOKEN}`,
          },
        ),
      ),
    );
    expect(answers).toHaveLength(24);
    expect(harness.api.peakInFlight(TOKEN)).toBe(2);
  });

  it('keeps all tokens together to UPSTREAM_CONCURRENCY requests in flight', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY: '3', UPSTREAM_CONCURRENCY_PER_TOKEN: '2' },
      latencyMs: 30,
    });
    const stand = harness;
    await Promise.all([
      stand.data(BY_GUID, { g: guids(1, 4) }, as(TOKEN)),
      stand.data(BY_GUID, { g: guids(2, 4) }, as(OTHER)),
    ]);
    expect(stand.api.peakInFlight()).toBe(3);
    expect(stand.api.peakInFlight(TOKEN)).toBeLessThanOrEqual(2);
    expect(stand.api.peakInFlight(OTHER)).toBeLessThanOrEqual(2);
  });

  it('serves a quiet token before a busy one has finished', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY: '2', UPSTREAM_CONCURRENCY_PER_TOKEN: '2' },
      latencyMs: 50,
    });
    const stand = harness;
    const busy = stand.data(BY_GUID, { g: guids(1, 20) }, as(TOKEN));
    await waitFor(() => stand.upstreamCalls() > 0);
    const [quiet] = guids(2, 1);
    await stand.data(BY_GUID, { g: [quiet] }, as(OTHER));
    const position = stand.api.requests.findIndex((request) =>
      request.path.endsWith(quiet as string),
    );
    // First come, first served would put it 21st, after every one of the busy token's requests;
    // round-robin serves it at the next free slot (a few of the busy token's start meanwhile).
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThan(8);
    await busy;
  });

  it('refuses what does not fit in the queue with GATEWAY_BUSY, for those guids alone', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY_PER_TOKEN: '1', UPSTREAM_QUEUE_PER_TOKEN: '2' },
      latencyMs: 50,
    });
    const wanted = guids(1, 5);
    const [response, other] = await Promise.all([
      harness.query(BY_GUID, { g: wanted }),
      harness.query(BY_GUID, { g: guids(2, 2) }, as(OTHER)),
    ]);
    expect(response.body.data?.interactionsByGuid).toEqual([
      { guid: wanted[0] },
      { guid: wanted[1] },
      { guid: wanted[2] },
      null,
      null,
    ]);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: ['interactionsByGuid', 3],
        extensions: { code: 'GATEWAY_BUSY', retryAfterSeconds: 1 },
      }),
      expect.objectContaining({
        path: ['interactionsByGuid', 4],
        extensions: { code: 'GATEWAY_BUSY', retryAfterSeconds: 1 },
      }),
    ]);
    expect(harness.upstreamCalls()).toBe(3 + 2);
    expect(other.body.errors).toBeUndefined();
  });

  it('grows well past 8 for a token upstream keeps answering', async () => {
    const harness = await start(accounts, { latencyMs: 30 });
    const wanted = guids(1, 100);
    const data = await harness.data(BY_GUID, { g: wanted });
    expect(data.interactionsByGuid).toEqual(wanted.map((guid) => ({ guid })));
    expect(harness.upstreamCalls()).toBe(100);
    expect(harness.api.peakInFlight(TOKEN)).toBeGreaterThanOrEqual(32);
    expect(harness.api.peakInFlight(TOKEN)).toBeLessThanOrEqual(64);
  });

  it('grows up to UPSTREAM_CONCURRENCY_PER_TOKEN and no further', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CONCURRENCY_PER_TOKEN: '12' },
      latencyMs: 30,
    });
    await harness.data(BY_GUID, { g: guids(1, 60) });
    expect(harness.api.peakInFlight(TOKEN)).toBe(12);
  });

  it("settles at about upstream's limit after its first 429s, and answers every guid", async () => {
    const harness = await start(accounts, {
      latencyMs: 30,
      fairUsage: { concurrency: { [TOKEN]: 6 }, retryAfterSeconds: 0 },
    });
    const wanted = guids(1, 100);
    const first = await harness.data(BY_GUID, { g: wanted });
    expect(first.interactionsByGuid).toEqual(wanted.map((guid) => ({ guid })));
    const firstLimited = harness.api.rateLimited(TOKEN);
    const second = await harness.data(BY_GUID, { g: wanted });
    expect(second.interactionsByGuid).toEqual(wanted.map((guid) => ({ guid })));
    const secondLimited = harness.api.rateLimited(TOKEN) - firstLimited;

    expect(harness.api.peakInFlight(TOKEN)).toBe(6); // used all upstream allows
    // Halving at 7 and growing back one per window: about one 429 per 18 answers.
    expect(firstLimited).toBeLessThanOrEqual(12);
    expect(secondLimited).toBeLessThanOrEqual(8);
    const halved = harness.logLines().filter((line) => line.msg?.includes('window halved'));
    expect(halved.length).toBeGreaterThan(0);
    expect(halved[0]).toMatchObject({ level: 30, from: 8, to: 4 }); // info
    expect(harness.logs.join('')).not.toContain(TOKEN);
  });

  it("does not shrink one token's window when another's is pushed back", async () => {
    const harness = await start(accounts, {
      latencyMs: 30,
      fairUsage: { concurrency: { [TOKEN]: 3 }, retryAfterSeconds: 0 },
    });
    const stand = harness;
    await Promise.all([
      stand.data(BY_GUID, { g: guids(1, 40) }, as(TOKEN)),
      stand.data(BY_GUID, { g: guids(2, 100) }, as(OTHER)),
    ]);
    expect(stand.api.rateLimited(TOKEN)).toBeGreaterThan(0);
    expect(stand.api.rateLimited(OTHER)).toBe(0);
    expect(stand.api.peakInFlight(OTHER)).toBeGreaterThan(8);

    // One window per token, neither named: the pushed-back token's at most 4, the other's past 8.
    const metrics = await (await fetch(new URL('/metrics', stand.gateway.url))).text();
    expect(metrics).toMatch(/^stats_gateway_upstream_token_window_count 2$/m);
    expect(metrics).toMatch(/^stats_gateway_upstream_token_window_bucket\{le="4"\} 1$/m);
    expect(metrics).toMatch(/^stats_gateway_upstream_token_window_bucket\{le="8"\} 1$/m);
    expect(metrics).toMatch(/^stats_gateway_upstream_window_decreases_total [1-9]\d*$/m);
  });
});
