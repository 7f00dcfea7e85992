import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';
import { openRaw } from '../support/rawHttp.js';

// The answer's Cache-Control: the schema's @cacheControl hints (schema/cacheControl.graphql),
// lowered to 5 s for an interaction still in progress or not found.

const ONGOING_GUID = '00000000-0000-4000-8000-00000000000a';
const MISSING_GUID = '00000000-0000-4000-8000-00000000000b';
const sample = referenceInteraction();

describe('Cache-Control on answers', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [sample, variant(ONGOING_GUID, { status: 'Ongoing', duration: null })],
    });
  });
  afterAll(() => harness.stop());

  const cacheControl = async (query: string, variables?: Record<string, unknown>) =>
    (await harness.query(query, variables)).headers.get('cache-control');

  it('lets a completed interaction be kept privately for 5 minutes, whatever fields are asked', async () => {
    expect(sample.status).toBe('Completed');
    expect(await cacheControl(INTERACTION, { guid: SAMPLE_GUID })).toBe('max-age=300, private');
    const timeline = `{ interaction(guid: "${SAMPLE_GUID}") { metrics { talkTime } events { at channel { party { role } } } } }`;
    expect(await cacheControl(timeline)).toBe('max-age=300, private');
  });

  it('keeps an interaction in progress, or not found, for 5 seconds only', async () => {
    expect(await cacheControl(INTERACTION, { guid: ONGOING_GUID })).toBe('max-age=5, private');
    expect(await cacheControl(INTERACTION, { guid: MISSING_GUID })).toBe('max-age=5, private');
    const both = `{ interactionsByGuid(guids: ["${SAMPLE_GUID}", "${ONGOING_GUID}"]) { guid } }`;
    expect(await cacheControl(both)).toBe('max-age=5, private');
  });

  it('keeps lists for 5 seconds, as upstream does', async () => {
    const day =
      '{ interactions(start: "2020-01-07T00:00:00Z", end: "2020-01-08T00:00:00Z") { totalCount items { guid } } }';
    expect(await cacheControl(day)).toBe('max-age=5, private');
    expect(await cacheControl('{ ongoingInteractions { totalCount } }')).toBe('max-age=5, private');
  });

  it('stores nothing of an answer with errors, of introspection, or of an answer with no hint', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 }, 1);
    expect(await cacheControl(INTERACTION, { guid: SAMPLE_GUID })).toBe('no-store');
    expect(await cacheControl('{ __schema { queryType { name } } }')).toBe('no-store');
    expect(await cacheControl('{ __typename }')).toBe('no-store');
  });

  it('stores nothing of an answer made before an operation runs: a refusal, a 404, a probe', async () => {
    const { url } = harness.gateway;
    const json = { 'content-type': 'application/json' };
    const answers: [Response, number][] = [
      [await fetch(new URL('/nowhere', url)), 404],
      [await fetch(url, { method: 'POST', headers: json, body: '{' }), 400],
      [await fetch(url, { method: 'PUT', headers: json, body: '{}' }), 405],
      [await fetch(new URL('/healthz', url)), 200],
    ];
    for (const [response, status] of answers) {
      expect([response.status, response.headers.get('cache-control')]).toEqual([
        status,
        'no-store',
      ]);
    }
    // Only the headers of an oversized body: the declared length alone gets the 413.
    const big = await openRaw(url);
    big.socket.write(
      `POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n` +
        `content-length: ${256 * 1024 + 1}\r\n\r\n`,
    );
    const answer = await big.answers(1);
    big.socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\ncache-control: no-store\r\n/i);
  });

  it('sends the same header on a GET, which HTTP caches can keep', async () => {
    const url = new URL(harness.gateway.url);
    url.searchParams.set('query', `{ interaction(guid: "${SAMPLE_GUID}") { guid } }`);
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${TOKEN}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=300, private');
  });
});
