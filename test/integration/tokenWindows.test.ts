import { variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

// Each token's window of Stats API requests in flight, learned from upstream: a stand-in that
// answers 429 above a concurrency of its choosing plays upstream's fair-usage limit.

const OTHER = 'token-b';
const BY_GUID = 'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }';

const guids = (prefix: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `00000000-0000-4000-8000-${prefix}${i.toString(16).padStart(11, '0')}`,
  );
const accounts = {
  [TOKEN]: guids(1, 100).map((guid) => variant(guid)),
  [OTHER]: guids(2, 100).map((guid) => variant(guid)),
};
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe("a token's window of upstream requests", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('grows well past 8 for a token upstream keeps answering', async () => {
    harness = await startHarness(accounts, { latencyMs: 30 });
    const wanted = guids(1, 100);
    const data = await harness.data(BY_GUID, { g: wanted });
    expect(data.interactionsByGuid).toEqual(wanted.map((guid) => ({ guid })));
    expect(harness.upstreamCalls()).toBe(100);
    expect(harness.api.peakInFlight(TOKEN)).toBeGreaterThanOrEqual(32);
    expect(harness.api.peakInFlight(TOKEN)).toBeLessThanOrEqual(64);
  });

  it('grows up to UPSTREAM_CONCURRENCY_PER_TOKEN and no further', async () => {
    harness = await startHarness(accounts, {
      env: { UPSTREAM_CONCURRENCY_PER_TOKEN: '12' },
      latencyMs: 30,
    });
    await harness.data(BY_GUID, { g: guids(1, 60) });
    expect(harness.api.peakInFlight(TOKEN)).toBe(12);
  });

  it("settles at about upstream's limit after its first 429s, and answers every guid", async () => {
    harness = await startHarness(accounts, {
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
    process.stdout.write(
      `429s: ${firstLimited} for the first 100 guids, ${secondLimited} for the next 100\n`,
    );

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
    harness = await startHarness(accounts, {
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
