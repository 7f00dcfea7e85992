import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { AUTH, postGraphQL, startHarness, TOKEN, type Harness } from '../support/harness.js';
import {
  AGENTS_SDL,
  composeSupergraph,
  startAgentDirectory,
  startRouter,
  type Router,
  type Subgraph,
} from '../support/supergraph.js';
import { queuedCall } from '../support/queueCalls.js';

// The gateway as a Federation 2 subgraph (FEDERATION=true) under Hive Gateway, composed with an
// agent directory that adds `Party.agent` by id and refers to interactions by guid.
// Apart from the guids test/support/queueCalls.ts hands out (…-8000-…).
const guid = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const STORED = Array.from({ length: 25 }, (_, i) => guid(i + 1));
const MISSING = guid(999);
const ADA = { name: 'Ada Lovelace', team: 'Billing' };
const QUEUE_DAY = Date.parse('2026-11-03T00:00:00.000Z');
// Two calls queueing in Sales, one of them twice: three visits over two interactions.
const QUEUED = [
  queuedCall(
    QUEUE_DAY + 600_000,
    { queue: 'Sales', duration: 12_000, result: 'Transferred' },
    { queue: 'Sales', offset: 20_000, duration: 8_000 },
  ),
  queuedCall(QUEUE_DAY + 1_200_000, { queue: 'Sales', duration: 4_000 }),
];

describe('the gateway as a subgraph under a router', () => {
  let harness: Harness;
  let agents: Subgraph;
  let router: Router;
  let recent: string[];

  beforeAll(async () => {
    harness = await startHarness(
      {
        [TOKEN]: [
          referenceInteraction(),
          ...STORED.map((g, i) => variant(g, { serviceName: `S${i}` })),
          ...QUEUED,
        ],
      },
      { env: { FEDERATION: 'true' } },
    );
    // 50 references over the 25 stored guids, each twice, as a directory might hold them.
    recent = [...STORED, ...STORED];
    agents = await startAgentDirectory({ '01': { ...ADA, recentInteractions: recent } });
    const { _service } = (await harness.data('{ _service { sdl } }')) as {
      _service: { sdl: string };
    };
    router = await startRouter(
      composeSupergraph([
        { name: 'stats', url: harness.gateway.url, sdl: _service.sdl },
        { name: 'agents', url: agents.url, sdl: AGENTS_SDL },
      ]),
    );
  });
  afterAll(async () => {
    await router?.close();
    await agents?.close();
    await harness?.stop();
  });
  beforeEach(() => harness.reset());

  it('answers an interaction with its agents’ names from the other subgraph', async () => {
    const response = await router.query(
      `{ interaction(guid: "${SAMPLE_GUID}") { guid channels { party { role id agent { name team } } } } }`,
      undefined,
      AUTH,
    );
    expect(response.body).toEqual({
      data: {
        interaction: {
          guid: SAMPLE_GUID,
          channels: [
            { party: { role: 'External', id: null, agent: null } },
            { party: { role: 'Agent', id: '01', agent: ADA } },
          ],
        },
      },
    });
    expect(harness.upstreamCalls()).toBe(1);
  });

  it('joins every interaction of a page to the agent directory', async () => {
    const response = await router.query(
      `{ interactions(start: "2020-01-07T00:00:00Z", end: "2020-01-08T00:00:00Z", limit: 100) {
           totalCount items { guid channels { party { agent { name } } } } } }`,
      undefined,
      AUTH,
    );
    const page = response.body.data?.interactions as {
      totalCount: number;
      items: { guid: string; channels: { party: { agent: { name: string } | null } }[] }[];
    };
    expect(response.body.errors).toBeUndefined();
    expect(page.totalCount).toBe(26);
    expect(page.items).toHaveLength(26);
    for (const item of page.items) {
      expect(item.channels.map((c) => c.party.agent)).toEqual([null, { name: ADA.name }]);
    }
    expect(harness.upstreamCalls()).toBe(1);
  });

  it('resolves 50 interaction references with one Stats API call per distinct guid', async () => {
    const response = await router.query(
      '{ agents { name recentInteractions { guid serviceName } } }',
      undefined,
      AUTH,
    );
    expect(response.body).toEqual({
      data: {
        agents: [
          {
            name: ADA.name,
            recentInteractions: recent.map((g) => ({
              guid: g,
              serviceName: `S${STORED.indexOf(g)}`,
            })),
          },
        ],
      },
    });
    expect(harness.upstreamCalls()).toBe(25);
  });

  it('forwards the client’s token through the router to the Stats API verbatim', async () => {
    const authorization = `Bearer ${TOKEN}`;
    await router.query(`{ interaction(guid: "${SAMPLE_GUID}") { guid } }`, undefined, {
      authorization,
    });
    expect(harness.api.requests.map((r) => r.headers.authorization)).toEqual([authorization]);
  });

  it('refuses an operation without a token with UNAUTHENTICATED, through the router, calling nothing', async () => {
    const response = await router.query(`{ interaction(guid: "${SAMPLE_GUID}") { guid } }`);
    expect(response.body.data?.interaction ?? null).toBeNull();
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('serves each queue visit’s interaction as the entity other subgraphs join on', async () => {
    const response = await router.query(
      `{ queueVisits(start: "2026-11-03T00:00:00Z", end: "2026-11-04T00:00:00Z") {
           items { queue interactionGuid interaction { guid status channels { party { role agent { name } } } } } } }`,
      undefined,
      AUTH,
    );
    expect(response.body.errors).toBeUndefined();
    const { items } = response.body.data?.queueVisits as {
      items: { interactionGuid: string; interaction: { guid: string } }[];
    };
    expect(items.map((visit) => visit.interactionGuid)).toEqual(
      [QUEUED[0], QUEUED[0], QUEUED[1]].map((call) => call?.guid),
    );
    for (const visit of items) {
      expect(visit.interaction).toEqual({
        guid: visit.interactionGuid,
        status: 'Completed',
        channels: [{ party: { role: 'External', agent: null } }],
      });
    }
    // One page of queue-times, then each distinct interaction once.
    expect(harness.upstreamCalls()).toBe(3);
  });

  it('names the router’s operations in the gateway’s logs and metrics by the client’s name', async () => {
    const before = harness.logLines().length;
    await router.query(
      `query AgentNames { interaction(guid: "${SAMPLE_GUID}") { channels { party { agent { name } } } } }`,
      undefined,
      AUTH,
    );
    const logged = harness
      .logLines()
      .slice(before)
      .filter((line) => line.msg === 'operation');
    expect(logged.map((line) => line.operationName)).toEqual(['AgentNames']);
    const metrics = await (await fetch(new URL('/metrics', harness.gateway.url))).text();
    expect(metrics).toContain(
      'stats_gateway_operations_total{operation="AgentNames",outcome="ok"} 1',
    );
  });

  it('leaves the other references when the Stats API fails one of them', async () => {
    const failing = STORED[3] as string;
    harness.api.inject(failing, { kind: 'status', status: 500 });
    const response = await router.query(
      '{ agents { recentInteractions { guid serviceName } } }',
      undefined,
      AUTH,
    );
    const [agent] = response.body.data?.agents as { recentInteractions: unknown[] }[];
    recent.forEach((g, i) =>
      expect(agent?.recentInteractions[i]).toEqual(
        // The router keeps the reference's own key and nulls what the gateway could not give.
        { guid: g, serviceName: g === failing ? null : `S${STORED.indexOf(g)}` },
      ),
    );
    expect(new Set(response.body.errors?.map((e) => e.extensions?.code))).toEqual(
      new Set(['UPSTREAM_UNAVAILABLE']),
    );
  });
});

describe('_entities on the subgraph itself', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: STORED.map((g, i) => variant(g, { serviceName: `S${i}` })) },
      { env: { FEDERATION: 'true', MAX_GUIDS: '60' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Interaction { guid serviceName } }
  }`;
  const refs = (guids: string[]) => guids.map((g) => ({ __typename: 'Interaction', guid: g }));

  it('answers 50 representations in order with one Stats API call per distinct guid', async () => {
    const guids = [...STORED, ...STORED];
    const data = await harness.data(ENTITIES, { representations: refs(guids) });
    expect(data._entities).toEqual(
      guids.map((g) => ({ guid: g, serviceName: `S${STORED.indexOf(g)}` })),
    );
    expect(harness.upstreamCalls()).toBe(25);
  });

  it('marks an _entities answer no-store: the union has no cache hint to go by', async () => {
    const response = await harness.query(ENTITIES, { representations: refs(STORED.slice(0, 1)) });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers null for an unknown guid and an error on a failed one’s path only', async () => {
    const [a, b] = STORED as [string, string];
    harness.api.inject(b, { kind: 'status', status: 500 });
    const response = await harness.query(ENTITIES, { representations: refs([a, MISSING, b]) });
    expect(response.body.data?._entities).toEqual([{ guid: a, serviceName: 'S0' }, null, null]);
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 2], 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('refuses a malformed guid in a representation on its path only, interpreted and compiled', async () => {
    const [a] = STORED as [string];
    // A document runs on graphql-js the first time and compiled (graphql-jit) from the second.
    const query =
      'query Malformed($r: [_Any!]!) { _entities(representations: $r) { ... on Interaction { guid } } }';
    for (const run of ['interpreted', 'compiled']) {
      harness.reset();
      const response = await harness.query(query, {
        r: [...refs([a]), { __typename: 'Interaction', guid: '../ongoing' }],
      });
      expect({ run, body: response.body }).toEqual({
        run,
        body: {
          data: { _entities: [{ guid: a }, null] },
          errors: [
            expect.objectContaining({
              path: ['_entities', 1],
              extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
            }),
          ],
        },
      });
      expect(harness.upstreamCalls()).toBe(1);
    }
  });

  it('counts representations against MAX_GUIDS before calling anything', async () => {
    const response = await harness.query(ENTITIES, {
      representations: refs([...STORED, ...STORED, ...STORED]),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'MAX_GUIDS',
    });
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('sends no Apollo inline trace (ftv1) even when a router asks for one', async () => {
    const response = await harness.query(
      ENTITIES,
      { representations: refs(STORED.slice(0, 1)) },
      { ...AUTH, 'apollo-federation-include-trace': 'ftv1' },
    );
    expect(response.body.errors).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toContain('ftv1');
  });

  it('refuses representations without a token with one UNAUTHENTICATED, calling nothing', async () => {
    const response = await harness.query(
      ENTITIES,
      { representations: refs(STORED.slice(0, 2)) },
      {},
    );
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(harness.upstreamCalls()).toBe(0);
  });
});

describe('allowlist mode and automatic persisted queries in subgraph mode', () => {
  const REGISTERED = `query Registered($r: [_Any!]!) {
    _entities(representations: $r) { ... on Interaction { guid } } }`;
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const r = [{ __typename: 'Interaction', guid: STORED[0] }];
  const byHash = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
  const send = (harness: Harness, body: object) =>
    fetch(harness.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));

  it('runs the router’s registered _entities operation and refuses another, calling nothing for it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.json');
    const operations = [{ id: sha256(REGISTERED), body: REGISTERED }];
    writeFileSync(
      path,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }),
    );
    const harness = await startHarness(
      { [TOKEN]: [variant(STORED[0] as string)] },
      { env: { FEDERATION: 'true', PERSISTED_OPERATIONS_MANIFEST: path } },
    );
    try {
      expect(await harness.data(REGISTERED, { r })).toEqual({ _entities: [{ guid: STORED[0] }] });
      const other = await postGraphQL(
        harness.gateway.url,
        REGISTERED.replace('{ guid }', '{ guid status }'),
        { r },
        AUTH,
      );
      expect(other.status).toBe(400);
      expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect(harness.upstreamCalls()).toBe(1);
    } finally {
      await harness.stop();
    }
  });

  it('answers a router’s _entities by hash once the text has been sent with it', async () => {
    const harness = await startHarness(
      { [TOKEN]: [variant(STORED[0] as string)] },
      { env: { FEDERATION: 'true' } },
    );
    try {
      const unknown = await send(harness, { extensions: byHash(REGISTERED), variables: { r } });
      expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const registered = { query: REGISTERED, extensions: byHash(REGISTERED), variables: { r } };
      expect((await send(harness, registered)).body).toEqual({
        data: { _entities: [{ guid: STORED[0] }] },
      });
      const again = await send(harness, { extensions: byHash(REGISTERED), variables: { r } });
      expect(again.body).toEqual({ data: { _entities: [{ guid: STORED[0] }] } });
    } finally {
      await harness.stop();
    }
  });
});

describe('without FEDERATION', () => {
  it('has no _service or _entities in the public schema', async () => {
    const harness = await startHarness({ [TOKEN]: [] });
    try {
      for (const query of [
        '{ _service { sdl } }',
        '{ _entities(representations: []) { __typename } }',
      ]) {
        const response = await harness.query(query);
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
      expect(harness.upstreamCalls()).toBe(0);
    } finally {
      await harness.stop();
    }
  });
});
