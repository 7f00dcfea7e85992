import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import {
  AUTH,
  startHarness,
  TOKEN,
  type GraphQLResponse,
  type Harness,
} from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

// What the gateway writes to its log: one line per operation, one per failed Stats API attempt,
// each with the request id, and never the caller's token.

const OTHER_GUID = '22222222-3333-4444-8555-666666666666';

/** A query sent with `x-request-id: requestId`, so that its log lines can be picked out. */
function send(
  harness: Harness,
  requestId: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = AUTH,
): Promise<GraphQLResponse> {
  return harness.query(query, variables, { ...headers, 'x-request-id': requestId });
}

describe('the operation log line', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction(), variant(OTHER_GUID)] },
      { env: { UPSTREAM_TIMEOUT_MS: '300', OPERATION_TIMEOUT_MS: '5000' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => {
    harness.reset();
    harness.logs.splice(0);
  });

  const operationLines = (requestId: string) =>
    harness.logLines().filter((line) => line.msg === 'operation' && line.requestId === requestId);

  it('is written once per operation, with its name, duration, outcome and upstream calls', async () => {
    const response = await send(
      harness,
      'op-two-guids',
      'query TwoGuids($a: ID!, $b: ID!) { a: interaction(guid: $a) { guid } b: interaction(guid: $b) { guid } }',
      { a: SAMPLE_GUID, b: OTHER_GUID },
    );
    expect(response.body.errors).toBeUndefined();
    const lines = operationLines('op-two-guids');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'op-two-guids',
      operationName: 'TwoGuids',
      outcome: 'ok',
      upstreamCalls: 2,
      upstreamRetries: 0,
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(lines[0]).not.toHaveProperty('errorCodes');
  });

  it('counts a retried attempt among the upstream calls of an operation that succeeds', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
    const response = await send(harness, 'op-retried', INTERACTION, { guid: SAMPLE_GUID });
    expect(response.body.errors).toBeUndefined();
    expect(operationLines('op-retried')).toEqual([
      expect.objectContaining({
        operationName: 'One',
        outcome: 'ok',
        upstreamCalls: 2,
        upstreamRetries: 1,
      }),
    ]);
  });

  it("has outcome 'error' and each error code once when fields fail", async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 });
    harness.api.inject(OTHER_GUID, { kind: 'status', status: 500 });
    const response = await send(
      harness,
      'op-failed',
      'query Both($guids: [ID!]!) { interactionsByGuid(guids: $guids) { guid } }',
      { guids: [SAMPLE_GUID, OTHER_GUID] },
    );
    expect(response.body.errors).toHaveLength(2);
    expect(operationLines('op-failed')).toEqual([
      expect.objectContaining({
        operationName: 'Both',
        outcome: 'error',
        errorCodes: ['UPSTREAM_UNAVAILABLE'],
        upstreamCalls: 2,
        upstreamRetries: 0,
      }),
    ]);
  });

  it('shows no upstream calls for an argument refused before any was made', async () => {
    const response = await send(harness, 'op-bad-guid', '{ interaction(guid: "nope") { guid } }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(operationLines('op-bad-guid')).toEqual([
      expect.objectContaining({
        outcome: 'error',
        errorCodes: ['BAD_USER_INPUT'],
        upstreamCalls: 0,
        upstreamRetries: 0,
      }),
    ]);
  });
});

describe('the upstream failure log line', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      { env: { UPSTREAM_TIMEOUT_MS: '300', OPERATION_TIMEOUT_MS: '5000' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => {
    harness.reset();
    harness.logs.splice(0);
  });

  const failures = (requestId: string) =>
    harness
      .logLines()
      .filter((line) => line.msg === 'upstream failure' && line.requestId === requestId);

  it('is written for a failed attempt that is retried, with when the retry will come', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
    const response = await send(harness, 'up-503-once', INTERACTION, { guid: SAMPLE_GUID });
    expect(response.body.errors).toBeUndefined();
    const lines = failures('up-503-once');
    expect(lines).toEqual([
      expect.objectContaining({
        requestId: 'up-503-once',
        endpoint: 'interaction',
        kind: 'UNAVAILABLE',
        status: 503,
        retries: 0,
      }),
    ]);
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(lines[0]?.retryInMs).toEqual(expect.any(Number));
  });

  it('is written once per attempt, counting the retries so far, with no retryInMs on the last', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 });
    const response = await send(harness, 'up-503-always', INTERACTION, { guid: SAMPLE_GUID });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const lines = failures('up-503-always');
    expect(lines.map((line) => line.retries)).toEqual([0, 1, 2]);
    expect(lines.map((line) => typeof line.retryInMs)).toEqual(['number', 'number', 'undefined']);
    for (const line of lines) {
      expect(line).toMatchObject({ endpoint: 'interaction', kind: 'UNAVAILABLE', status: 503 });
    }
  });

  it('has no status and no retryInMs for a timeout, which is not retried', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
    const response = await send(harness, 'up-hang', INTERACTION, { guid: SAMPLE_GUID });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    const lines = failures('up-hang');
    expect(lines).toEqual([
      expect.objectContaining({ endpoint: 'interaction', kind: 'TIMEOUT', retries: 0 }),
    ]);
    expect(lines[0]).not.toHaveProperty('status');
    expect(lines[0]).not.toHaveProperty('retryInMs');
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
  });

  it('names the list endpoint for a failed page', async () => {
    harness.api.inject('ongoing', { kind: 'status', status: 500 });
    const response = await send(harness, 'up-ongoing', '{ ongoingInteractions { count } }');
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(failures('up-ongoing')).toEqual([
      expect.objectContaining({ endpoint: 'ongoing', kind: 'UNAVAILABLE', status: 500 }),
    ]);
  });
});

describe('request ids in the log', () => {
  const ODD_GUID = '44444444-2222-4333-8444-555555555555';
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction(), variant(ODD_GUID, { start: 'not-a-date' })] },
      { env: { UPSTREAM_TIMEOUT_MS: '300', OPERATION_TIMEOUT_MS: '5000' }, logLevel: 'trace' },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => {
    harness.reset();
    harness.logs.splice(0);
  });

  // Each case runs alone, so every line written meanwhile was written while serving it.
  const cases: [string, () => Promise<GraphQLResponse>][] = [
    ['a success', () => send(harness, 'rid-ok', INTERACTION, { guid: SAMPLE_GUID })],
    [
      'a retried 503',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
        return send(harness, 'rid-retry', INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      'an upstream 500',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 });
        return send(harness, 'rid-500', INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      'a hang past UPSTREAM_TIMEOUT_MS',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
        return send(harness, 'rid-hang', INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      'an internal error',
      () => send(harness, 'rid-internal', `{ interaction(guid: "${ODD_GUID}") { start } }`),
    ],
    [
      'a request without a token',
      () => send(harness, 'rid-anon', INTERACTION, { guid: SAMPLE_GUID }, {}),
    ],
    ['a syntax error', () => send(harness, 'rid-parse', '{ interaction(')],
  ];

  it.each(cases)('are on every line written while serving %s', async (_name, run) => {
    const response = await run();
    const requestId = response.headers.get('x-request-id');
    const lines = harness.logLines();
    expect(lines.some((line) => line.msg === 'operation')).toBe(true);
    for (const line of lines) expect(line).toMatchObject({ requestId });
  });

  it('are generated when the caller sends none, and match the x-request-id answered', async () => {
    const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = harness.logLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.requestId).toBe(requestId);
  });

  it('keep concurrent operations apart', async () => {
    harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 503 }, 1);
    const ids = ['rid-c1', 'rid-c2', 'rid-c3', 'rid-c4'];
    await Promise.all(
      ids.map((id) =>
        send(
          harness,
          id,
          `query ${id.replace(/-/g, '_')}($g: ID!) { interaction(guid: $g) { guid } }`,
          {
            g: SAMPLE_GUID,
          },
        ),
      ),
    );
    const lines = harness.logLines();
    for (const line of lines) expect(ids).toContain(line.requestId);
    for (const id of ids) {
      const own = lines.filter((line) => line.msg === 'operation' && line.requestId === id);
      expect(own).toEqual([expect.objectContaining({ operationName: id.replace(/-/g, '_') })]);
    }
  });
});

describe('access tokens in the log', () => {
  // The stand-in's accounts are keyed by the token without its "Bearer " scheme.
  const SECRET = 'tok-SECRET-8c41f0a2d9e7';
  const BEARER = { authorization: `Bearer ${SECRET}` };
  const ODD_GUID = '44444444-2222-4333-8444-555555555555';
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [SECRET]: [referenceInteraction(), variant(ODD_GUID, { start: 'not-a-date' })] },
      { env: { UPSTREAM_TIMEOUT_MS: '200', OPERATION_TIMEOUT_MS: '5000' }, logLevel: 'trace' },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  const secretQuery = (query: string, variables?: Record<string, unknown>) =>
    harness.query(query, variables, BEARER);

  const cases: [string, () => Promise<GraphQLResponse>][] = [
    ['a success', () => secretQuery(INTERACTION, { guid: SAMPLE_GUID })],
    [
      'an injected upstream 401',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 401 });
        return secretQuery(INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      "the stand-in's own 401 for a token it does not know",
      () =>
        harness.query(INTERACTION, { guid: SAMPLE_GUID }, { authorization: `Bearer ${SECRET}-x` }),
    ],
    [
      'an upstream 500',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'status', status: 500 });
        return secretQuery(INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      'a malformed upstream body',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'malformed' });
        return secretQuery(INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    [
      'a hang past UPSTREAM_TIMEOUT_MS',
      () => {
        harness.api.inject(SAMPLE_GUID, { kind: 'hang' });
        return secretQuery(INTERACTION, { guid: SAMPLE_GUID });
      },
    ],
    ['an internal error', () => secretQuery(`{ interaction(guid: "${ODD_GUID}") { guid start } }`)],
    [
      'a request without Authorization',
      () => harness.query(INTERACTION, { guid: SAMPLE_GUID }, {}),
    ],
    ['a bad argument', () => secretQuery('{ interaction(guid: "not-a-guid") { guid } }')],
    [
      'the token as a guid in the query text',
      () => secretQuery(`{ interaction(guid: "Bearer ${SECRET}") { guid } }`),
    ],
    [
      'the token as a guid in the variables',
      () => secretQuery(INTERACTION, { guid: `Bearer ${SECRET}` }),
    ],
    [
      'the token as a DateTime in the query text',
      () => secretQuery(`{ interactions(start: "${SECRET}") { count } }`),
    ],
    [
      'the token as a DateTime in the variables',
      () =>
        secretQuery('query Window($start: DateTime!) { interactions(start: $start) { count } }', {
          start: SECRET,
        }),
    ],
    [
      'the token as an Int in the variables',
      () =>
        secretQuery('query Page($limit: Int) { ongoingInteractions(limit: $limit) { count } }', {
          limit: SECRET,
        }),
    ],
  ];

  it.each(cases)('are kept out of the log and the response for %s', async (_name, run) => {
    const before = harness.logs.length;
    const response = await run();
    expect(harness.logs.length).toBeGreaterThan(before);
    // Both checked at once, so that a failure shows where the token went.
    expect({
      inLog: harness.logs.slice(before).filter((line) => line.includes(SECRET)),
      inResponse: JSON.stringify(response.body).includes(SECRET) ? response.body : undefined,
    }).toEqual({ inLog: [], inResponse: undefined });
  });

  // A check of the whole log, in case a line was written after its response. The test runs
  // every case itself, so that it checks as much when it runs alone as after the others.
  it('reached the Stats API verbatim yet appear in no log line of the run', async () => {
    const sent: (string | undefined)[] = [];
    for (const [, run] of cases) {
      harness.reset();
      await run();
      sent.push(...harness.api.requests.map((request) => request.headers.authorization));
    }
    expect(sent).toContain(`Bearer ${SECRET}`);
    expect(harness.logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });
});
