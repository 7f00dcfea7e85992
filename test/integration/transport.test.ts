import http from 'node:http';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

// What browsers and proxies see of the gateway (src/http/httpServer.ts,
// src/graphql/apolloServer.ts): CSRF prevention, the CORS allowlist, introspection and the
// landing page, request ids and the probes.

const ONE = `query One { interaction(guid: "${SAMPLE_GUID}") { guid } }`;
const ACCOUNTS = { [TOKEN]: [referenceInteraction()] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const base = (harness: Harness) => new URL(harness.gateway.url).origin;
const getQuery = (harness: Harness, query: string) =>
  `${harness.gateway.url}?query=${encodeURIComponent(query)}`;

/** Words of a comma-separated header, lower-cased: `vary: Origin, Accept` -> origin, accept. */
const listHeader = (headers: Headers, name: string) =>
  (headers.get(name) ?? '')
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);

describe('CSRF prevention', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS);
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.api.requests.splice(0));

  it('refuses a GET query without a preflight header with 400, before any upstream call', async () => {
    const response = await fetch(getQuery(harness, ONE), { headers: AUTH });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it.each([
    ['apollo-require-preflight', 'true'],
    ['x-apollo-operation-name', 'One'],
  ])('answers a GET query that carries %s', async (header, value) => {
    const response = await fetch(getQuery(harness, ONE), { headers: { ...AUTH, [header]: value } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { interaction: { guid: SAMPLE_GUID } } });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])(
    'refuses a POST with content-type %s (no preflight in a browser) with 400, before any upstream call',
    async (contentType) => {
      const response = await fetch(harness.gateway.url, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': contentType },
        body: JSON.stringify({ query: ONE }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { data?: unknown }).data).toBeUndefined();
      expect(harness.upstreamCalls()).toBe(0);
    },
  );

  it('answers a POST with content-type application/json and no Origin, as a mobile app sends it', async () => {
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: ONE }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { interaction: { guid: SAMPLE_GUID } } });
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  const APP = 'https://app.example.com';
  const ADMIN = 'https://admin.example.com:8443';
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS, { env: { CORS_ORIGINS: `${APP}, ${ADMIN}` } });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.api.requests.splice(0));

  const post = (origin: string) =>
    fetch(harness.gateway.url, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', origin },
      body: JSON.stringify({ query: ONE }),
    });

  const preflight = (origin: string) =>
    fetch(harness.gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, apollo-require-preflight',
      },
    });

  it.each([APP, ADMIN])(
    'allows the listed origin %s, varies on Origin and exposes x-request-id',
    async (origin) => {
      const response = await post(origin);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(listHeader(response.headers, 'vary')).toContain('origin');
      expect(listHeader(response.headers, 'access-control-expose-headers')).toContain(
        'x-request-id',
      );
    },
  );

  it.each([
    ['another site', 'https://evil.example.com'],
    ['a listed origin as a prefix of another host', `${APP}.evil.example`],
    ['a listed host over http', 'http://app.example.com'],
    ['a listed host on another port', `${APP}:8443`],
    ['the null origin', 'null'],
  ])('gives %s no access-control-allow-origin', async (_, origin) => {
    const response = await post(origin);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from a listed origin with 204, allowing authorization and apollo-require-preflight', async () => {
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(listHeader(response.headers, 'access-control-allow-methods')).toContain('post');
    expect(listHeader(response.headers, 'access-control-allow-headers')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight']),
    );
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('gives a preflight from an origin not listed no access-control-allow-origin', async () => {
    const response = await preflight('https://evil.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with CORS_ORIGINS unset', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS);
  });
  afterAll(() => harness.stop());

  it('allows no origin, on a request or a preflight', async () => {
    const origin = 'https://app.example.com';
    const response = await fetch(harness.gateway.url, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', origin },
      body: JSON.stringify({ query: ONE }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(harness.gateway.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('introspection and the landing page', () => {
  const SCHEMA = '{ __schema { queryType { name } } }';

  describe('by default', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(ACCOUNTS);
    });
    afterAll(() => harness.stop());

    it('answers introspection', async () => {
      expect(await harness.data(SCHEMA, undefined, {})).toEqual({
        __schema: { queryType: { name: 'Query' } },
      });
    });

    it('shows the Sandbox landing page as HTML to a browser', async () => {
      const response = await fetch(harness.gateway.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('embeddable-sandbox');
    });
  });

  describe('with INTROSPECTION=false and LANDING_PAGE=false', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(ACCOUNTS, {
        env: { INTROSPECTION: 'false', LANDING_PAGE: 'false' },
      });
    });
    afterAll(() => harness.stop());
    beforeEach(() => harness.api.requests.splice(0));

    it.each([SCHEMA, '{ __type(name: "Interaction") { name } }'])(
      'refuses %s with GRAPHQL_VALIDATION_FAILED',
      async (query) => {
        const response = await harness.query(query);
        expect(response.status).toBe(400);
        expect(response.body.data).toBeUndefined();
        expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      },
    );

    it('still answers ordinary queries', async () => {
      const data = await harness.data(INTERACTION, { guid: SAMPLE_GUID });
      expect(data.interaction).toMatchObject({ guid: SAMPLE_GUID });
    });

    // With no landing page, a browser's GET is an ordinary GraphQL GET: having no preflight
    // header, it is refused by CSRF prevention before anything else.
    it('shows a browser no landing page: its GET gets a JSON BAD_REQUEST with 400 instead', async () => {
      const response = await fetch(harness.gateway.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await response.text();
      expect(text).not.toContain('embeddable-sandbox');
      const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: unknown }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
      expect(harness.upstreamCalls()).toBe(0);
    });
  });
});

describe('request ids', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS);
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.api.requests.splice(0));

  /** The `operation` log line written for the request `requestId`. */
  function operationLog(requestId: string): Record<string, unknown> | undefined {
    return harness
      .logLines()
      .find((line) => line.msg === 'operation' && line.requestId === requestId);
  }

  /** Runs the full query with `headers` and returns the id of the response, checked. */
  async function run(headers: Record<string, string>): Promise<string> {
    harness.api.requests.splice(0);
    const response = await harness.query(
      INTERACTION,
      { guid: SAMPLE_GUID },
      { ...AUTH, ...headers },
    );
    expect(response.body.errors).toBeUndefined();
    const id = response.headers.get('x-request-id') ?? '';
    expect(harness.api.requests.map((request) => request.headers['x-request-id'])).toEqual([id]);
    expect(operationLog(id)).toMatchObject({ requestId: id, outcome: 'ok', upstreamCalls: 1 });
    return id;
  }

  it.each([
    ['letters, digits, dots and dashes', 'req-abc.123'],
    ['a UUID', '3f1b7a0c-2d4e-4f6a-8b9c-0d1e2f3a4b5c'],
    ['colons and underscores', 'edge:pop_7'],
    ['128 characters', 'r'.repeat(128)],
  ])(
    'returns a safe incoming id (%s) in the response, sends it upstream and logs it',
    async (_, incoming) => {
      expect(await run({ 'x-request-id': incoming })).toBe(incoming);
    },
  );

  it.each([
    ['a space', 'req abc'],
    ['129 characters', 'r'.repeat(129)],
    ['a slash and quotes', 'a/"b"'],
    ['a log-injection attempt', '{"level":60}'],
    ['nothing', ''],
  ])(
    'replaces an incoming id with %s by a generated UUID, used in the response, upstream and the log',
    async (_, incoming) => {
      const id = await run({ 'x-request-id': incoming });
      expect(id).toMatch(UUID);
      if (incoming) expect(harness.logs.join('')).not.toContain(incoming);
    },
  );

  it('generates a UUID when there is no incoming id, and a new one for every request', async () => {
    const first = await run({});
    const second = await run({});
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
  });

  it.each([
    ['/healthz', 200],
    ['/readyz', 200],
    ['/no-such-path', 404],
  ])('sets x-request-id on %s (%i), echoing a safe incoming id', async (path, status) => {
    const generated = await fetch(`${base(harness)}${path}`);
    expect(generated.status).toBe(status);
    expect(generated.headers.get('x-request-id')).toMatch(UUID);
    const echoed = await fetch(`${base(harness)}${path}`, {
      headers: { 'x-request-id': 'probe-1' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('probe-1');
  });

  it('sets x-request-id on a 413', async () => {
    // Only the headers are sent: the declared length alone gets the 413, so the test does not
    // race the gateway closing a connection it has stopped reading.
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(harness.gateway.url, {
        method: 'POST',
        headers: {
          ...AUTH,
          'content-type': 'application/json',
          'content-length': String(256 * 1024 + 1),
          'x-request-id': 'big-1',
        },
      });
      request.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res);
          request.destroy();
        });
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['x-request-id']).toBe('big-1');
  });
});

describe('probes', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(ACCOUNTS);
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.api.requests.splice(0));

  it.each([
    ['/healthz', { status: 'ok' }],
    ['/readyz', { status: 'ready' }],
  ])('answers %s with 200 and JSON while serving, with no upstream call', async (path, body) => {
    const response = await fetch(`${base(harness)}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(body);
    expect(harness.upstreamCalls()).toBe(0);
  });
});
