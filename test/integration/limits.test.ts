import http from 'node:http';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import {
  AUTH,
  startHarness,
  TOKEN,
  type GraphQLResponse,
  type Harness,
} from '../support/harness.js';
import { FULL_INTERACTION, INTERACTION } from '../support/queries.js';

// Limits on what one request may ask for (src/graphql/plugins/limits.ts, the parser's token
// limit in src/graphql/apolloServer.ts, the body limit in src/http/httpServer.ts). Each is set
// low through its environment variable, as an operator would, so that the boundary is cheap to
// reach; each refusal must name its variable and must not reach the Stats API.

/** The n-th guid of a made-up account: valid 8-4-4-4-12 hex, distinct from SAMPLE_GUID. */
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const EVENTS = 'events(types: ["Ringing"])';

/** A query for one interaction whose answer nests `depth` fields deep, `interaction` included. */
function queryOfDepth(depth: number): string {
  // interaction > channels > events > channel > events > ...: Event.channel makes it cyclic.
  // Each channel has one Ringing event, so the answer grows linearly with depth, not as 36^n.
  const fields = [`interaction(guid: "${SAMPLE_GUID}")`];
  while (fields.length < depth - 1) {
    fields.push(fields.length === 1 ? 'channels' : fields.length % 2 === 0 ? EVENTS : 'channel');
  }
  const leaf = fields.at(-1) === EVENTS ? 'type' : 'guid';
  return `{ ${fields.reduceRight((selection, field) => `${field} { ${selection} }`, leaf)} }`;
}

/** A query with `count` aliased `interaction` fields, all for the reference sample. */
const aliased = (count: number) =>
  `{ ${Array.from(
    { length: count },
    (_, i) => `a${i}: interaction(guid: "${SAMPLE_GUID}") { guid }`,
  ).join(' ')} }`;

/** The reference sample's channels, as `channels { guid }` answers them. */
const channelGuids = () =>
  referenceInteraction().channels.map((channel) => ({ guid: channel.guid }));

/** Asserts a refusal before execution: no data at all, and no Stats API request. */
function expectRefused(harness: Harness, response: GraphQLResponse, status = 400) {
  expect(response.status).toBe(status);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(harness.upstreamCalls()).toBe(0);
  return response.body.errors?.[0];
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A POST over node:http, so that the test controls framing: `send` writes the body (or part of
 * it) and may leave the request open. Resolves with the first response; the request is then
 * destroyed, since a refused body is never read to its end.
 */
function rawPost(
  url: string,
  headers: Record<string, string>,
  send: (request: http.ClientRequest) => void,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        request.destroy();
      });
    });
    // After the response, a write the gateway no longer reads may fail; that is expected.
    request.on('error', reject);
    send(request);
  });
}

/** A JSON body for an interaction query, padded with a comment to exactly `bytes` bytes. */
function bodyOfSize(bytes: number): string {
  const body = (padding: string) =>
    JSON.stringify({
      query: `{ interaction(guid: "${SAMPLE_GUID}") { guid } } #${padding}`,
    });
  const size = Buffer.byteLength(body(''));
  if (size > bytes) throw new Error(`a body cannot be smaller than ${size} bytes`);
  return body('x'.repeat(bytes - size));
}

const JSON_HEADERS = { 'content-type': 'application/json', ...AUTH };

describe('MAX_QUERY_DEPTH', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { MAX_QUERY_DEPTH: '3' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('refuses a query deeper than the limit with GRAPHQL_VALIDATION_FAILED naming MAX_QUERY_DEPTH, before any upstream call', async () => {
    const error = expectRefused(harness, await harness.query(queryOfDepth(4)));
    expect(error?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_QUERY_DEPTH',
    });
    expect(error?.message).toContain('MAX_QUERY_DEPTH');
  });

  it('runs a query exactly at the limit', async () => {
    expect(queryOfDepth(3)).toContain('{ channels { guid } }');
    const data = await harness.data(queryOfDepth(3));
    expect(data).toEqual({ interaction: { channels: channelGuids() } });
  });

  it('counts the depth of fields inside fragments', async () => {
    const query = `query { interaction(guid: "${SAMPLE_GUID}") { ...Deep } }
      fragment Deep on Interaction { channels { party { id } } }`;
    const error = expectRefused(harness, await harness.query(query));
    expect(error?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_QUERY_DEPTH',
    });
  });

  it('counts the depth of fields inside inline fragments', async () => {
    const query = `{ interaction(guid: "${SAMPLE_GUID}") {
      ... on Interaction { channels { ... on Channel { party { id } } } } } }`;
    const error = expectRefused(harness, await harness.query(query));
    expect(error?.extensions?.limit).toBe('MAX_QUERY_DEPTH');
  });

  // Depth is how deep the answer nests: a fragment is no level of its own, so writing the same
  // selection with fragments neither hides depth nor adds to it.
  it('runs a query exactly at the limit that is written with fragments', async () => {
    const query = `query { interaction(guid: "${SAMPLE_GUID}") { ...Channels } }
      fragment Channels on Interaction { channels { ... on Channel { guid } } }`;
    expect(await harness.data(query)).toEqual({ interaction: { channels: channelGuids() } });
  });

  it("does not apply to introspection: Sandbox's introspection query runs", async () => {
    const response = await harness.query(getIntrospectionQuery(), undefined, {});
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema).toMatchObject({ queryType: { name: 'Query' } });
  });
});

describe('MAX_ALIASES', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { MAX_ALIASES: '3' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('refuses more aliases than the limit with GRAPHQL_VALIDATION_FAILED naming MAX_ALIASES, before any upstream call', async () => {
    const error = expectRefused(harness, await harness.query(aliased(4)));
    expect(error?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_ALIASES',
    });
    expect(error?.message).toContain('MAX_ALIASES');
  });

  it('counts aliases inside fragments', async () => {
    const query = `{ a0: interaction(guid: "${SAMPLE_GUID}") { guid } ...More }
      fragment More on Query {
        a1: interaction(guid: "${SAMPLE_GUID}") { guid }
        a2: interaction(guid: "${SAMPLE_GUID}") { g: guid }
      }`;
    const error = expectRefused(harness, await harness.query(query));
    expect(error?.extensions?.limit).toBe('MAX_ALIASES');
  });

  it('runs a query with exactly the limit of aliases', async () => {
    const data = await harness.data(aliased(3));
    expect(data).toEqual({
      a0: { guid: SAMPLE_GUID },
      a1: { guid: SAMPLE_GUID },
      a2: { guid: SAMPLE_GUID },
    });
  });
});

describe('MAX_GUIDS', () => {
  const [g1, g2, g3, g4] = [1, 2, 3, 4].map(guid) as [string, string, string, string];
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction(), ...[g1, g2, g3, g4].map((g) => variant(g))] },
      { env: { MAX_GUIDS: '3' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  // One object per case, not a tuple: Jest would take a missing tuple entry for `done`.
  it.each<{ by: string; query: string; variables?: Record<string, unknown> }>([
    {
      by: 'a literal list',
      query: `{ interactionsByGuid(guids: ["${g1}", "${g2}", "${g3}", "${g4}"]) { guid } }`,
    },
    {
      by: 'a list variable',
      query: 'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
      variables: { g: [g1, g2, g3, g4] },
    },
    {
      by: 'a list of variables',
      query:
        'query($a: ID!, $b: ID!, $c: ID!, $d: ID!) { interactionsByGuid(guids: [$a, $b, $c, $d]) { guid } }',
      variables: { a: g1, b: g2, c: g3, d: g4 },
    },
    {
      by: "a list variable's default value",
      query: `query($g: [ID!]! = ["${g1}", "${g2}", "${g3}", "${g4}"]) {
        interactionsByGuid(guids: $g) { guid } }`,
    },
    {
      by: 'the same guid four times, counted before deduplication',
      query: `{ interactionsByGuid(guids: ["${g1}", "${g1}", "${g1}", "${g1}"]) { guid } }`,
    },
    {
      by: 'interaction and interactionsByGuid fields together',
      query: `{ a: interaction(guid: "${g1}") { guid } b: interaction(guid: "${g2}") { guid }
        interactionsByGuid(guids: ["${g3}", "${g4}"]) { guid } }`,
    },
    {
      by: 'fields in a fragment and an inline fragment on Query',
      query: `query($g: [ID!]!) { ...ByGuid ... on Query { interaction(guid: "${g4}") { guid } } }
        fragment ByGuid on Query { interactionsByGuid(guids: $g) { guid } }`,
      variables: { g: [g1, g2, g3] },
    },
  ])(
    'refuses four guids named by $by with BAD_USER_INPUT naming MAX_GUIDS, before any upstream call',
    async ({ query, variables }) => {
      const error = expectRefused(harness, await harness.query(query, variables));
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'MAX_GUIDS' });
      expect(error?.message).toContain('MAX_GUIDS');
    },
  );

  it('runs an interactionsByGuid with exactly the limit of guids', async () => {
    const data = await harness.data(
      'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
      {
        g: [g1, g2, g3],
      },
    );
    expect(data).toEqual({ interactionsByGuid: [{ guid: g1 }, { guid: g2 }, { guid: g3 }] });
    expect(harness.upstreamCalls()).toBe(3);
  });

  it('runs interaction and interactionsByGuid fields that together name exactly the limit', async () => {
    const data = await harness.data(
      `{ interaction(guid: "${g1}") { guid } interactionsByGuid(guids: ["${g2}", "${g3}"]) { guid } }`,
    );
    expect(data).toEqual({
      interaction: { guid: g1 },
      interactionsByGuid: [{ guid: g2 }, { guid: g3 }],
    });
  });
});

describe('MAX_QUERY_TOKENS', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { MAX_QUERY_TOKENS: '100' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  // `{ interaction ( guid : "…" ) { guid… } }` is 10 tokens plus one per repeated `guid`.
  const queryOfTokens = (tokens: number) =>
    `{ interaction(guid: "${SAMPLE_GUID}") { ${'guid '.repeat(tokens - 10)}} }`;

  it('refuses a document over the limit with GRAPHQL_PARSE_FAILED saying it has more than N tokens, before any upstream call', async () => {
    const error = expectRefused(harness, await harness.query(queryOfTokens(101)));
    expect(error?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(error?.message).toContain('more than 100 tokens');
  });

  it('names MAX_QUERY_TOKENS when it refuses a document over the limit', async () => {
    const error = expectRefused(harness, await harness.query(queryOfTokens(101)));
    expect(error?.message).toContain('MAX_QUERY_TOKENS');
  });

  it('runs a document of exactly the limit of tokens', async () => {
    expect(await harness.data(queryOfTokens(100))).toEqual({ interaction: { guid: SAMPLE_GUID } });
  });
});

describe('MAX_BODY_BYTES', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { MAX_BODY_BYTES: '1024' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  function expectTooLarge(response: RawResponse) {
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.body) as GraphQLResponse['body'];
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toContain('MAX_BODY_BYTES');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST', limit: 'MAX_BODY_BYTES' });
    expect(harness.upstreamCalls()).toBe(0);
  }

  it('refuses a body whose content-length is over the limit with 413 naming MAX_BODY_BYTES', async () => {
    const body = bodyOfSize(1025);
    const response = await rawPost(
      harness.gateway.url,
      { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)) },
      (request) => request.end(body),
    );
    expectTooLarge(response);
  });

  it('refuses a chunked body once it grows over the limit, without waiting for its end', async () => {
    const body = bodyOfSize(2048);
    const response = await rawPost(
      harness.gateway.url,
      { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      // Two chunks of 1 KiB each, and the request left open: the gateway must count across
      // chunks and answer without reading to the end.
      (request) => {
        request.write(body.slice(0, 1024));
        request.write(body.slice(1024));
      },
    );
    expectTooLarge(response);
  });

  it('runs a body of exactly the limit, with a content-length or chunked', async () => {
    const body = bodyOfSize(1024);
    const expected = { data: { interaction: { guid: SAMPLE_GUID } } };
    const declared = await rawPost(
      harness.gateway.url,
      { ...JSON_HEADERS, 'content-length': '1024' },
      (request) => request.end(body),
    );
    expect([declared.status, JSON.parse(declared.body)]).toEqual([200, expected]);
    const chunked = await rawPost(
      harness.gateway.url,
      { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      (request) => {
        request.write(body.slice(0, 512));
        request.end(body.slice(512));
      },
    );
    expect([chunked.status, JSON.parse(chunked.body)]).toEqual([200, expected]);
  });

  it('keeps answering after refusing a body', async () => {
    const body = bodyOfSize(4096);
    await rawPost(harness.gateway.url, { ...JSON_HEADERS, 'transfer-encoding': 'chunked' }, (r) =>
      r.write(body),
    );
    expect(await harness.data('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});

describe('the default limits', () => {
  const many = Array.from({ length: 101 }, (_, i) => guid(i + 1));
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [referenceInteraction(), ...many.map((g) => variant(g))],
    });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('allow the full interaction query', async () => {
    const data = await harness.data(INTERACTION, { guid: SAMPLE_GUID });
    expect(data.interaction).toMatchObject({ guid: SAMPLE_GUID });
  });

  it('allow 100 guids in one interactionsByGuid, each with every field', async () => {
    const data = await harness.data(
      `query Many($g: [ID!]!) { interactionsByGuid(guids: $g) { ...FullInteraction } }
      ${FULL_INTERACTION}`,
      { g: many.slice(0, 100) },
    );
    const items = data.interactionsByGuid as { guid: string }[];
    expect(items.map((item) => item.guid)).toEqual(many.slice(0, 100));
    expect(harness.upstreamCalls()).toBe(100);
  });

  it('refuse 101 guids', async () => {
    const response = await harness.query(
      'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
      { g: many },
    );
    expect(expectRefused(harness, response)?.extensions?.limit).toBe('MAX_GUIDS');
  });

  it('allow a depth of 12 and refuse 13', async () => {
    expect(await harness.data(queryOfDepth(12))).toHaveProperty('interaction.channels');
    harness.reset();
    const response = await harness.query(queryOfDepth(13));
    expect(expectRefused(harness, response)?.extensions?.limit).toBe('MAX_QUERY_DEPTH');
  });

  it('allow 30 aliases and refuse 31', async () => {
    expect(Object.keys(await harness.data(aliased(30)))).toHaveLength(30);
    harness.reset();
    const response = await harness.query(aliased(31));
    expect(expectRefused(harness, response)?.extensions?.limit).toBe('MAX_ALIASES');
  });

  it("allow Sandbox's introspection query", async () => {
    const response = await harness.query(getIntrospectionQuery(), undefined, {});
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema).toMatchObject({ queryType: { name: 'Query' } });
  });

  // graphql-codegen loads a `schema:` URL with @graphql-tools/url-loader, which sends
  // getIntrospectionQuery() with the options set in codegen.yml: here all of them.
  it("allow graphql-codegen's introspection query, from which the schema rebuilds", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const response = await harness.query(query, undefined, {});
    expect(response.body.errors).toBeUndefined();
    const schema = buildClientSchema(response.body.data as unknown as IntrospectionQuery);
    expect(String(schema.getQueryType()?.getFields().interactions?.type)).toBe('InteractionPage');
  });

  // MAX_QUERY_DEPTH leaves introspection alone; graphql-js's own rule bounds how deep its lists
  // (fields, interfaces, possibleTypes, inputFields) may nest, however the document is spelled.
  it.each([
    [
      '__schema',
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    ],
    [
      '__type',
      '{ __type(name: "Interaction") { fields { type { fields { type { fields { name } } } } } } }',
    ],
    [
      'fragments',
      `{ __schema { types { ...F } } }
      fragment F on __Type { fields { type { ...G } } }
      fragment G on __Type { fields { type { interfaces { name } } } }`,
    ],
  ])('refuse introspection nested too deep, through %s', async (_, query) => {
    const error = expectRefused(harness, await harness.query(query, undefined, {}));
    expect(error).toMatchObject({
      message: 'Maximum introspection depth exceeded',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('refuse a body over 256 KiB by its content-length, with 413', async () => {
    // Only the headers are sent: the declared length alone is enough to refuse.
    const response = await rawPost(
      harness.gateway.url,
      { ...JSON_HEADERS, 'content-length': String(256 * 1024 + 1) },
      (request) => request.flushHeaders(),
    );
    expect(response.status).toBe(413);
    expect(response.body).toContain('MAX_BODY_BYTES');
  });
});
