import { createHash } from 'node:crypto';
import http from 'node:http';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';

// Requests a caller can send that the fuzz test (fuzz.test.ts) found answered with a 500, an
// INTERNAL_SERVER_ERROR or a Stats API call: each is a coded 4xx, before any upstream call.

interface Raw {
  status: number;
  body: { errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** Sends the request-target as given: fetch would normalise `//` and `\`. */
function raw(
  url: string,
  target: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, path: target, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const body = (
            res.headers['content-type']?.includes('json') ? JSON.parse(text) : {}
          ) as Raw['body'];
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const post = (harness: Harness, body: unknown, contentType = 'application/json') =>
  raw(harness.gateway.url, '/graphql', {
    method: 'POST',
    headers: { 'content-type': contentType, ...AUTH },
    body: JSON.stringify(body),
  });

const QUERY = `{ interaction(guid: "${SAMPLE_GUID}") { guid } }`;

describe('malformed requests', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [referenceInteraction()] });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('answer a request-target that is not a plain path with a coded 400 or a 404, never a 500', async () => {
    for (const target of ['//', '/\\', '//[']) {
      const answer = await raw(harness.gateway.url, target);
      expect([400, 404]).toContain(answer.status);
    }
    const invalid = await raw(harness.gateway.url, 'http://gateway:99999/graphql');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('read `//graphql` as a path, not as a URL naming the host "graphql"', async () => {
    expect((await raw(harness.gateway.url, '//graphql')).status).toBe(404);
  });

  it('read the JSON media type in any case and with parameters, and no other type as JSON', async () => {
    const upper = await post(harness, { query: QUERY }, 'APPLICATION/JSON; charset=UTF-8');
    expect(upper.status).toBe(200);
    harness.reset();
    for (const type of [
      'application/jsonx',
      'application/json-seq',
      'application/json, text/plain',
    ]) {
      const other = await post(harness, { query: QUERY }, type);
      expect(other.status).toBe(400);
      expect(other.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('answer an operation name the document does not have with OPERATION_RESOLUTION_FAILURE, running nothing', async () => {
    // Twice each: the second run of a document takes its compiled path (compiledExecution.ts).
    for (const query of [QUERY, QUERY, `query A ${QUERY}`, `query A ${QUERY}`]) {
      const answer = await post(harness, { query, operationName: 'Nope' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
    await harness.data(QUERY); // the same document, run as it should be
    harness.reset();
    const search = new URLSearchParams({ query: QUERY, operationName: 'Nope' });
    const overGet = await raw(harness.gateway.url, `/graphql?${search}`, {
      headers: { ...AUTH, 'apollo-require-preflight': 'true' },
    });
    expect(overGet.status).toBe(400);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('refuse mutations, which this read-only schema does not have, and subscriptions over HTTP', async () => {
    const mutation = await post(harness, { query: 'mutation { interaction }' });
    expect(mutation.status).toBe(400);
    expect(mutation.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('read-only') as unknown,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    // Subscriptions exist, over WebSocket only.
    const subscription = await post(harness, {
      query: 'subscription { ongoingInteractions { totalCount } }',
    });
    expect(subscription.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('WebSocket') as unknown,
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('answer a persisted-query hash that is not a string with BAD_REQUEST, over POST and GET', async () => {
    for (const sha256Hash of [{ toString: 1 }, [{ toString: null }], 5]) {
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const overPost = await post(harness, { extensions });
      const search = new URLSearchParams({ extensions: JSON.stringify(extensions) });
      const overGet = await raw(harness.gateway.url, `/graphql?${search}`, {
        headers: { ...AUTH, 'apollo-require-preflight': 'true' },
      });
      for (const answer of [overPost, overGet]) {
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
        expect(answer.body.errors?.[0]?.message).toContain('sha256Hash');
      }
    }
  });

  it('answer variables with more problems than graphql-js lists with BAD_USER_INPUT alone', async () => {
    const query =
      'query($t: [String!]) { interaction(guid: "' +
      SAMPLE_GUID +
      '") { guid events(types: $t) { type } } }';
    const answer = await post(harness, { query, variables: { t: Array(100).fill(null) } });
    expect(answer.status).toBe(400);
    const codes = new Set(answer.body.errors?.map((error) => error.extensions?.code));
    expect([...codes]).toEqual(['BAD_USER_INPUT']);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('answer a persisted query of another version, or whose hash is not its text, with BAD_REQUEST', async () => {
    const hash = createHash('sha256').update(QUERY).digest('hex');
    const cases = [
      { extensions: { persistedQuery: { version: 2, sha256Hash: hash } } },
      { query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
    ];
    for (const body of cases) {
      const answer = await post(harness, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(answer.body.errors?.[0]?.message).not.toBe('Internal server error');
    }
    expect(harness.upstreamCalls()).toBe(0);
  });
});
