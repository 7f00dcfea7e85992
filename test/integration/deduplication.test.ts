import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, harnessPerTest, TOKEN } from '../support/harness.js';
import { sharedCounts } from '../support/metrics.js';
import { sleep, waitFor } from '../support/wait.js';

// UPSTREAM_DEDUPLICATE (on by default): identical Stats API requests of one credential in flight
// at once share one exchange. Counted where it matters: at the stand-in.

const OTHER = 'token-b';
const sample = referenceInteraction();
const accounts = {
  [TOKEN]: [sample],
  // The same guid under another token, with other data: nothing may cross between them.
  [OTHER]: [{ ...referenceInteraction(), serviceName: 'Other tenant service' }],
};
const QUERY = 'query($guid: ID!) { interaction(guid: $guid) { guid serviceName } }';
const mine = { interaction: { guid: SAMPLE_GUID, serviceName: sample.serviceName } };
const many = <T>(count: number, make: () => Promise<T>) =>
  Promise.all(Array.from({ length: count }, make));

describe('in-flight de-duplication (UPSTREAM_DEDUPLICATE)', () => {
  const { start, started } = harnessPerTest();
  const ask = (authorization = AUTH.authorization) =>
    started().data(QUERY, { guid: SAMPLE_GUID }, { authorization });
  const codeOf = async (signal?: AbortSignal) => {
    const response = await fetch(started().gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ query: QUERY, variables: { guid: SAMPLE_GUID } }),
      signal,
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return body.errors?.[0]?.extensions?.code;
  };

  it('joins identical requests of one token in flight into one upstream call by default', async () => {
    const harness = await start(accounts, { latencyMs: 100 });
    expect(await many(10, () => ask())).toEqual(Array.from({ length: 10 }, () => mine));
    expect(harness.upstreamCalls()).toBe(1);
    expect(await sharedCounts(harness)).toEqual({ miss: 1, shared: 9 });
  });

  it('joins every spelling of the same credential, as upstream reads them alike', async () => {
    const harness = await start(accounts, { latencyMs: 100 });
    await Promise.all([ask(`Bearer ${TOKEN}`), ask(`bearer  ${TOKEN}`), ask(`BEARER ${TOKEN}`)]);
    expect(harness.upstreamCalls()).toBe(1);
  });

  it('never joins requests of different tokens', async () => {
    const harness = await start(accounts, { latencyMs: 100 });
    const [a, b] = await Promise.all([ask(`Bearer ${TOKEN}`), ask(`Bearer ${OTHER}`)]);
    expect(a).toEqual(mine);
    expect(b).toEqual({ interaction: { guid: SAMPLE_GUID, serviceName: 'Other tenant service' } });
    expect(harness.upstreamCalls()).toBe(2);
    expect(harness.api.requests.map((r) => r.headers.authorization).sort()).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${OTHER}`,
    ]);
  });

  it('sends every request when UPSTREAM_DEDUPLICATE=false', async () => {
    const harness = await start(accounts, {
      latencyMs: 100,
      env: { UPSTREAM_DEDUPLICATE: 'false' },
    });
    expect(await many(10, () => ask())).toEqual(Array.from({ length: 10 }, () => mine));
    expect(harness.upstreamCalls()).toBe(10);
    expect(await sharedCounts(harness)).toEqual({ miss: 10 });
  });

  it('shares a failure with every caller, without asking again for each', async () => {
    const harness = await start(accounts, { latencyMs: 100 });
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 }, 1);
    expect(await many(5, () => codeOf())).toEqual(Array(5).fill('UPSTREAM_UNAVAILABLE'));
    expect(harness.upstreamCalls()).toBe(1);
  });

  it('retries once for all callers, not once each', async () => {
    const harness = await start(accounts, { latencyMs: 100 });
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
    expect(await many(5, () => ask())).toEqual(Array.from({ length: 5 }, () => mine));
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('keeps the exchange while any caller waits, and cuts it when the last one leaves', async () => {
    const harness = await start(accounts);
    harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
    const first = new AbortController();
    const second = new AbortController();
    const gone = [codeOf(first.signal), codeOf(second.signal)].map((answer) =>
      answer.catch((error: unknown) => (error as Error).name),
    );
    await waitFor(async () => (await sharedCounts(harness)).shared === 1);
    expect(harness.api.inFlight()).toBe(1);

    first.abort();
    await sleep(200);
    expect(harness.api.inFlight()).toBe(1);

    second.abort();
    await waitFor(() => harness.api.inFlight() === 0);
    expect(await Promise.all(gone)).toEqual(['AbortError', 'AbortError']);
  });

  it("answers each caller at its own deadline, and holds the exchange for the later one's", async () => {
    const harness = await start(accounts, { env: { OPERATION_TIMEOUT_MS: '1500' } });
    harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
    const early = codeOf();
    await waitFor(() => harness.api.inFlight() === 1);
    await sleep(700);
    let lateAnswered = false;
    const late = codeOf().finally(() => (lateAnswered = true));

    expect(await early).toBe('UPSTREAM_TIMEOUT');
    expect(lateAnswered).toBe(false);
    expect(harness.api.inFlight()).toBe(1);
    expect(await late).toBe('UPSTREAM_TIMEOUT');
    await waitFor(() => harness.api.inFlight() === 0);
    expect(await sharedCounts(harness)).toEqual({ miss: 1, shared: 1 });
  });
});
