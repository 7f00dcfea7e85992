import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, AUTH, type Harness } from '../support/harness.js';

describe('the HTTP endpoint', () => {
  let harness: Harness;
  let base: string;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [referenceInteraction()] });
    base = new URL(harness.gateway.url).origin;
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('leads / to /graphql', async () => {
    const response = await fetch(`${base}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  it('shows the Sandbox landing page to a browser, with no token', async () => {
    const response = await fetch(harness.gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 for other paths', async () => {
    expect((await fetch(`${base}/stats/interactions`)).status).toBe(404);
  });

  it('answers queries over GET with the CSRF-safe header', async () => {
    const query = encodeURIComponent(`{ interaction(guid: "${SAMPLE_GUID}") { guid } }`);
    const response = await fetch(`${harness.gateway.url}?query=${query}`, {
      headers: { ...AUTH, 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { interaction: { guid: SAMPLE_GUID } } });
  });

  it('refuses a GET query without a CSRF-safe header, with no upstream call', async () => {
    const query = encodeURIComponent(`{ interaction(guid: "${SAMPLE_GUID}") { guid } }`);
    const response = await fetch(`${harness.gateway.url}?query=${query}`, { headers: AUTH });
    expect(response.status).toBe(400);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuses a body over 1 MiB with 413 and stays up', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(await harness.data('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED and an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const parse = await harness.query('{ interaction(');
    expect(parse.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const validation = await harness.query('{ nope }');
    expect(validation.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(harness.upstreamCalls()).toBe(0);
  });
});
