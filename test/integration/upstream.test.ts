import { STATS_ACCEPT } from '../../src/upstream/statsHttp.js';
import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

const OTHER_TOKEN = 'token-b';

describe('calls to the Stats API', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [referenceInteraction()],
      [OTHER_TOKEN]: [variant(SAMPLE_GUID, { serviceName: 'Account B' })],
    });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it("forwards the caller's Authorization verbatim with the v3 Accept, and none of their other headers", async () => {
    await harness.data(
      INTERACTION,
      { guid: SAMPLE_GUID },
      {
        authorization: `bEaReR   ${TOKEN}`,
        cookie: 'session=secret-cookie',
        'x-forwarded-for': '203.0.113.9',
        'x-custom': 'caller-only',
        accept: 'application/json',
      },
    );
    expect(harness.api.requests).toHaveLength(1);
    const [request] = harness.api.requests;
    expect(request?.path).toBe(`/stats/interactions/${SAMPLE_GUID}`);
    expect(request?.headers.authorization).toBe(`bEaReR   ${TOKEN}`);
    expect(request?.headers.accept).toBe(STATS_ACCEPT);
    expect(request?.headers.cookie).toBeUndefined();
    expect(request?.headers['x-forwarded-for']).toBeUndefined();
    expect(request?.headers['x-custom']).toBeUndefined();
  });

  it.each([301, 302, 307, 308])(
    'follows no %i redirect (it would carry the token elsewhere) and answers UPSTREAM_BAD_RESPONSE',
    async (status) => {
      // The redirect points at the same stand-in, where the caller's token would be answered.
      const location = `${harness.api.url}/interactions/${SAMPLE_GUID}?moved=1`;
      harness.api.inject(SAMPLE_GUID, { kind: 'status', status, headers: { location } }, 1);
      const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
      expect(harness.api.requests.map((request) => request.path)).toEqual([
        `/stats/interactions/${SAMPLE_GUID}`,
      ]);
    },
  );

  it('sends no upstream request and answers UNAUTHENTICATED when there is no token', async () => {
    const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID }, {});
    expect(response.body.data).toEqual({ interaction: null });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('needs no token for introspection', async () => {
    const response = await harness.query('{ __schema { queryType { name } } }', undefined, {});
    expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it.each([
    ['a path traversal', '../x'],
    ['an encoded slash', '016f7e44%2F7556-4747-9982-de543dfbe27f'],
    ['a query string', `${SAMPLE_GUID}?page=2`],
    ['an empty string', ''],
    ['a guid with a suffix', `${SAMPLE_GUID}/channels`],
    ['a guid with a newline', `${SAMPLE_GUID}\n`],
  ])('refuses %s as BAD_USER_INPUT naming the argument, with no upstream call', async (_, guid) => {
    const response = await harness.query(INTERACTION, { guid });
    const [error] = response.body.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('"guid"');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('refuses a bad guid in a list naming its index, with no upstream call', async () => {
    const response = await harness.query(
      'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
      {
        g: [SAMPLE_GUID, 'nope'],
      },
    );
    expect(response.body.errors?.[0]?.message).toContain('"guids[1]"');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('gives concurrent callers with different tokens only their own data', async () => {
    const query = 'query($g: ID!) { interaction(guid: $g) { serviceName } }';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const token = i % 2 === 0 ? TOKEN : OTHER_TOKEN;
        return harness
          .data(query, { g: SAMPLE_GUID }, { authorization: `Bearer ${token}` })
          .then((data) => [token, (data.interaction as { serviceName: string }).serviceName]);
      }),
    );
    for (const [token, serviceName] of results) {
      expect(serviceName).toBe(token === TOKEN ? 'Report Gp 2' : 'Account B');
    }
  });

  it('never writes the token to the log', async () => {
    await harness.query(
      INTERACTION,
      { guid: SAMPLE_GUID },
      { authorization: 'Bearer not-a-known-token' },
    );
    await harness.query(INTERACTION, { guid: SAMPLE_GUID }, AUTH);
    const logs = harness.logs.join('');
    expect(logs).toContain('UNAUTHENTICATED');
    expect(logs).not.toContain('not-a-known-token');
    expect(logs).not.toContain(TOKEN);
  });
});
