import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

const OTHER_GUID = '00000000-0000-4000-8000-000000000001';

describe('Prometheus metrics at /metrics', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [referenceInteraction(), variant(OTHER_GUID)],
    });
  });
  afterAll(() => harness.stop());

  async function scrape(
    from: Harness = harness,
  ): Promise<{ status: number; type: string | null; text: string }> {
    const response = await fetch(new URL('/metrics', from.gateway.url));
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  }

  /** The value of one sample, e.g. `name{a="b"}`; undefined when it is not there. */
  function sample(text: string, series: string): number | undefined {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }

  // The registry lives as long as the gateway, which the tests share: each counts from a scrape
  // of its own start, so that it passes alone and in any order.
  /** How much each series grew since the scrape `before`; undefined for one not there now. */
  function growth(before: string, after: string, series: string): number | undefined {
    const now = sample(after, series);
    return now === undefined ? undefined : now - (sample(before, series) ?? 0);
  }

  it('counts operations by name and outcome, times them, and times upstream requests by endpoint and status', async () => {
    const before = (await scrape()).text;
    await harness.data(INTERACTION, { guid: SAMPLE_GUID });
    await harness.data(INTERACTION, { guid: SAMPLE_GUID });
    harness.api.inject(OTHER_GUID, { kind: 'status', status: 500 }, 1);
    await harness.query(INTERACTION, { guid: OTHER_GUID });

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    const grew = (series: string) => growth(before, text, series);
    expect(grew('stats_gateway_operations_total{operation="One",outcome="ok"}')).toBe(2);
    expect(grew('stats_gateway_operations_total{operation="One",outcome="error"}')).toBe(1);
    expect(grew('stats_gateway_operation_duration_seconds_count{operation="One"}')).toBe(3);
    expect(
      grew(
        'stats_gateway_upstream_request_duration_seconds_count{endpoint="interaction",status="200"}',
      ),
    ).toBe(2);
    expect(
      grew(
        'stats_gateway_upstream_request_duration_seconds_count{endpoint="interaction",status="500"}',
      ),
    ).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('records DataLoader batch sizes', async () => {
    const before = sample((await scrape()).text, 'stats_gateway_loader_batch_size_sum') ?? 0;
    await harness.data('query Both($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }', {
      g: [SAMPLE_GUID, OTHER_GUID, SAMPLE_GUID],
    });
    const after = sample((await scrape()).text, 'stats_gateway_loader_batch_size_sum');
    // One batch of the two distinct guids: DataLoader de-duplicates before batching.
    expect(after).toBe(before + 2);
  });

  it('labels a failed connection by its failure kind', async () => {
    const before = (await scrape()).text;
    harness.api.inject(OTHER_GUID, { kind: 'malformed' }, 1);
    await harness.query(INTERACTION, { guid: OTHER_GUID });
    harness.api.inject(OTHER_GUID, { kind: 'reset' }, 1);
    await harness.query(INTERACTION, { guid: OTHER_GUID });
    const { text } = await scrape();
    expect(
      growth(
        before,
        text,
        'stats_gateway_upstream_request_duration_seconds_count{endpoint="interaction",status="UNAVAILABLE"}',
      ),
    ).toBe(1);
  });

  // On a gateway of its own: the names it fills the registry with would turn the other tests'
  // operations into (other).
  it('does not let callers grow the registry with invented operation names', async () => {
    const own = await startHarness({ [TOKEN]: [referenceInteraction()] });
    try {
      // 200 names are kept; the rest, and names that are not plain identifiers, count as (other).
      const named = (text: string) =>
        new Set(
          [...text.matchAll(/operations_total\{operation="([A-Za-z_]\w*)"/g)].map(
            ([, name]) => name,
          ),
        ).size;
      await own.data(INTERACTION, { guid: SAMPLE_GUID });
      const before = (await scrape(own)).text;
      expect(named(before)).toBe(1);
      for (let i = 0; i < 205; i++) await own.query(`query Invented${i} { __typename }`);
      await own.query(`query ${'X'.repeat(80)} { __typename }`);
      await own.query('{ __typename }');
      const { text } = await scrape(own);
      const kept = text.match(/operations_total\{operation="Invented\d+"/g) ?? [];
      expect(new Set(kept).size).toBe(199);
      expect(named(text)).toBe(200);
      expect(text).not.toContain('Invented204');
      expect(text).not.toContain('X'.repeat(80));
      expect(
        growth(before, text, 'stats_gateway_operations_total{operation="(other)",outcome="ok"}'),
      ).toBe(205 - kept.length + 1);
      expect(
        growth(
          before,
          text,
          'stats_gateway_operations_total{operation="(anonymous)",outcome="ok"}',
        ),
      ).toBe(1);
    } finally {
      await own.stop();
    }
  });
});
