import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { harnessPerTest, TOKEN } from '../support/harness.js';
import { sharedCounts as countsOf } from '../support/metrics.js';
import { sleep } from '../support/wait.js';

// UPSTREAM_CACHE_SECONDS: a token's Stats API answers served again for upstream's max-age.
// Counted where it matters: at the stand-in. (Requests joined in flight: deduplication.test.ts.)

const OTHER = 'token-b';
const SECOND_GUID = '00000000-0000-4000-8000-000000000002';
const sample = referenceInteraction();
const accounts = {
  [TOKEN]: [sample, variant(SECOND_GUID)],
  // The same guid under another token, with other data: nothing may cross between them.
  [OTHER]: [{ ...referenceInteraction(), serviceName: 'Other tenant service' }],
};
const QUERY = 'query($guid: ID!) { interaction(guid: $guid) { guid serviceName } }';
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('shared answers (UPSTREAM_CACHE_SECONDS)', () => {
  const { start, started } = harnessPerTest();
  const ask = (token = TOKEN) => started().data(QUERY, { guid: SAMPLE_GUID }, as(token));
  const mine = { interaction: { guid: SAMPLE_GUID, serviceName: sample.serviceName } };

  const sharedCounts = () => countsOf(started());

  it('is off unless configured: every operation asks upstream', async () => {
    const harness = await start(accounts);
    expect(await ask()).toEqual(mine);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it("serves a token's answer again within upstream's max-age", async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    expect(await ask()).toEqual(mine);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(1);
    expect(await sharedCounts()).toEqual({ miss: 1, hit: 1 });
  });

  it('serves a kept answer to every spelling of the same token, and only to it', async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    const spelled = (authorization: string) =>
      started().data(QUERY, { guid: SAMPLE_GUID }, { authorization });
    expect(await spelled(`Bearer ${TOKEN}`)).toEqual(mine);
    expect(await spelled(`bearer  ${TOKEN}`)).toEqual(mine);
    expect(await spelled(`BEARER ${TOKEN}`)).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(1);
    expect(await sharedCounts()).toEqual({ miss: 1, hit: 2 });
  });

  it('never serves one token the answer fetched for another', async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    await ask(TOKEN);
    expect(await ask(OTHER)).toEqual({
      interaction: { guid: SAMPLE_GUID, serviceName: 'Other tenant service' },
    });
    expect(await ask(TOKEN)).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
    expect(harness.api.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${OTHER}`,
    ]);
  });

  it('asks upstream again once the setting (below max-age) has passed', async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '1' } });
    await ask();
    await sleep(1100);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('keeps no failure: the next operation asks again', async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 }, 1);
    const failed = await harness.query(QUERY, { guid: SAMPLE_GUID });
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it.each([
    ['no-store', 'max-age=5, private, no-store'],
    ['no-cache', 'max-age=5, no-cache'],
    ['no max-age', 'private'],
  ])('keeps no answer marked %s', async (_, cacheControl) => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    const body = JSON.stringify(sample);
    const headers = { 'cache-control': cacheControl };
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 200, headers, body }, 1);
    expect(await ask()).toEqual(mine);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('counts the Age an answer arrives with against its max-age', async () => {
    const harness = await start(accounts, { env: { UPSTREAM_CACHE_SECONDS: '5' } });
    const body = JSON.stringify(sample);
    const answer = (age: string) => ({
      kind: 'status' as const,
      status: 200,
      headers: { 'cache-control': 'max-age=5, private', age },
      body,
    });
    // Already 5 s old: stale on arrival, so kept for nothing.
    harness.api.inject(SAMPLE_GUID, answer('5'), 2);
    expect(await ask()).toEqual(mine);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(2);
    // 4 s old: fresh for one more second, then asked for again.
    harness.api.inject(SAMPLE_GUID, answer('4'), 2);
    await ask();
    await ask();
    expect(harness.upstreamCalls()).toBe(3);
    await sleep(1100);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(4);
  });

  it('drops the oldest answer to stay within UPSTREAM_CACHE_BYTES', async () => {
    // Room for one body, not two: keeping the second answer drops the first.
    const room = Math.floor(JSON.stringify(sample).length * 1.5);
    const harness = await start(accounts, {
      env: { UPSTREAM_CACHE_SECONDS: '5', UPSTREAM_CACHE_BYTES: String(room) },
    });
    const second = { guid: SECOND_GUID, serviceName: sample.serviceName };
    await ask();
    expect(await harness.data(QUERY, { guid: SECOND_GUID })).toEqual({ interaction: second });
    expect(await harness.data(QUERY, { guid: SECOND_GUID })).toEqual({ interaction: second });
    expect(harness.upstreamCalls()).toBe(2);
    expect(await ask()).toEqual(mine);
    expect(harness.upstreamCalls()).toBe(3);
    expect(await sharedCounts()).toEqual({ miss: 3, hit: 1 });
  });

  it('keeps no answer larger than UPSTREAM_CACHE_BYTES', async () => {
    const harness = await start(accounts, {
      env: { UPSTREAM_CACHE_SECONDS: '5', UPSTREAM_CACHE_BYTES: '1000' },
    });
    await ask();
    await ask();
    expect(harness.upstreamCalls()).toBe(2);
  });
});
