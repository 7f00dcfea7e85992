import { createServer } from 'node:net';
import type { Fault } from '../../src/demo/statsApi.js';
import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';

const SECRET = 'upstream-internal-detail-7f3a';

describe('upstream failures', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction()] },
      // A Retry-After of 7 s does not fit in a 3 s deadline, so it fails at once.
      { env: { UPSTREAM_TIMEOUT_MS: '300', OPERATION_TIMEOUT_MS: '3000' } },
    );
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  // Every attempt fails, retries included (test/integration/faults.test.ts covers recovery).
  async function failWith(fault: Fault) {
    harness.api.inject(SAMPLE_GUID, fault);
    const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/stack|at \w+ \(/);
    expect(response.body.data).toEqual({ interaction: null });
    expect(response.body.errors).toHaveLength(1);
    return response.body.errors?.[0];
  }

  const status = (code: number, headers?: Record<string, string>, message = SECRET): Fault => ({
    kind: 'status',
    status: code,
    headers,
    body: JSON.stringify({ message, trace: SECRET }),
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [418, 'UPSTREAM_BAD_RESPONSE'],
    [302, 'UPSTREAM_BAD_RESPONSE'],
  ])('maps upstream %i to %s without echoing the body', async (code, expected) => {
    const error = await failWith(status(code));
    expect(error?.extensions).toEqual({ code: expected });
    expect(error?.path).toEqual(['interaction']);
  });

  it("maps upstream 400 to BAD_USER_INPUT, passing on upstream's message text only", async () => {
    const error = await failWith(
      status(400, undefined, 'Request window size limit exceeded 31 days'),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('Request window size limit exceeded 31 days');
  });

  it('fails at once with retryAfterSeconds when a 429 Retry-After does not fit the deadline', async () => {
    const error = await failWith(status(429, { 'retry-after': '7' }));
    expect(error?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 7 });
  });

  it('maps a hang past the deadline to UPSTREAM_TIMEOUT', async () => {
    const error = await failWith({ kind: 'hang' });
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('maps a body that is not JSON to UPSTREAM_BAD_RESPONSE', async () => {
    const error = await failWith({ kind: 'malformed' });
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('maps JSON of the wrong shape to UPSTREAM_BAD_RESPONSE', async () => {
    const body = JSON.stringify({
      guid: SAMPLE_GUID,
      channels: [{ events: [{ offset: 'soon' }] }],
    });
    const error = await failWith({ kind: 'status', status: 200, body });
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('maps a connection reset mid-body to UPSTREAM_UNAVAILABLE', async () => {
    const error = await failWith({ kind: 'reset' });
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('logs the detail the client is not shown, with the request id', async () => {
    harness.logs.splice(0);
    harness.api.inject(SAMPLE_GUID, status(503));
    const response = await harness.query(
      INTERACTION,
      { guid: SAMPLE_GUID },
      {
        authorization: `Bearer ${TOKEN}`,
        'x-request-id': 'req-123',
      },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const line = harness.logLines().find((l) => l.code === 'UPSTREAM_UNAVAILABLE');
    expect(line).toMatchObject({
      requestId: 'req-123',
      upstream: { kind: 'UNAVAILABLE', status: 503 },
    });
  });
});

describe('a value the schema cannot serve', () => {
  it('is an INTERNAL_SERVER_ERROR on that field alone, generic to the client and logged in full', async () => {
    const odd = variant('44444444-2222-4333-8444-555555555555', { start: 'not-a-date-7f3a' });
    const harness = await startHarness({ [TOKEN]: [odd] });
    try {
      const response = await harness.query(
        'query($g: ID!) { interaction(guid: $g) { guid start } }',
        { g: odd.guid },
      );
      expect(response.body.data).toEqual({ interaction: { guid: odd.guid, start: null } });
      expect(response.body.errors).toEqual([
        {
          message: 'Internal server error',
          locations: expect.any(Array),
          path: ['interaction', 'start'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      const logged = harness.logLines().find((l) => l.code === 'INTERNAL_SERVER_ERROR');
      expect(logged).toMatchObject({ level: 50, path: 'interaction.start' });
      expect(JSON.stringify(logged)).toContain('not-a-date-7f3a');
    } finally {
      await harness.stop();
    }
  });
});

describe('an unreachable Stats API', () => {
  it('maps a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    // A port that was free a moment ago and now has nothing listening.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const harness = await startHarness(
      {},
      { overrides: { statsApiUrl: `http://127.0.0.1:${port}/stats` } },
    );
    try {
      const response = await harness.query(INTERACTION, { guid: SAMPLE_GUID });
      expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await harness.stop();
    }
  });
});
