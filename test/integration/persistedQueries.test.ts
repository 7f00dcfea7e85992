import { createHash } from 'node:crypto';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { freePort } from '../support/ports.js';
import { redisAvailable, startRedis, type RedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

// Automatic persisted queries: a client sends a query's SHA-256 instead of its text, and the
// text once when the gateway does not know the hash yet. Hashed queries can go over GET, so
// HTTP caches can keep their answers.

/** A query as a persisted-query client sends it: its text, and its hash in `extensions`. */
function persisted(name: string) {
  const query = `query ${name}($guid: ID!) { interaction(guid: $guid) { guid status duration } }`;
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  return { query, extensions: { persistedQuery: { version: 1, sha256Hash } } };
}
type Persisted = ReturnType<typeof persisted>;

const BRIEF = persisted('Brief');
const EXPECTED = {
  data: {
    interaction: {
      guid: SAMPLE_GUID,
      status: referenceInteraction().status,
      duration: referenceInteraction().duration,
    },
  },
};
const accounts = { [TOKEN]: [referenceInteraction()] };

/** A hashed query over GET, with the header Apollo's CSRF prevention asks of GETs. */
async function getByHash(harness: Harness, { extensions }: Persisted = BRIEF) {
  const url = new URL(harness.gateway.url);
  url.searchParams.set('extensions', JSON.stringify(extensions));
  url.searchParams.set('variables', JSON.stringify({ guid: SAMPLE_GUID }));
  const response = await fetch(url, { headers: { ...AUTH, 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Registers the query: its text and its hash, as a client does after PERSISTED_QUERY_NOT_FOUND. */
async function register(harness: Harness, { query, extensions }: Persisted = BRIEF) {
  const response = await fetch(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ query, variables: { guid: SAMPLE_GUID }, extensions }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** The gateway's persisted-query counts in /metrics: misses, registrations, hits. */
async function persistedCounts(harness: Harness): Promise<number[]> {
  const text = await (await fetch(new URL('/metrics', harness.gateway.url))).text();
  return ['miss', 'register', 'hit'].map((result) => {
    const series = `stats_gateway_persisted_queries_total{result="${result}"}`;
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  });
}

const notFound = {
  errors: [
    expect.objectContaining({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    }),
  ],
};

describe('automatic persisted queries in memory (no REDIS_URL)', () => {
  let first: Harness;
  let second: Harness;
  beforeAll(async () => {
    [first, second] = await Promise.all([startHarness(accounts), startHarness(accounts)]);
  });
  afterAll(() => Promise.all([first.stop(), second.stop()]));

  // Each test sends a query of its own name, so that no test finds a hash another registered.
  it('asks for the text of an unknown hash, without calling upstream', async () => {
    const upstreamBefore = first.upstreamCalls();
    const response = await getByHash(first, persisted('Unknown'));
    expect(response.body).toMatchObject(notFound);
    expect(first.upstreamCalls()).toBe(upstreamBefore);
  });

  it('answers a registered hash over GET', async () => {
    const registered = persisted('Registered');
    expect(await register(first, registered)).toEqual(EXPECTED);
    const response = await getByHash(first, registered);
    expect(response).toEqual({ status: 200, body: EXPECTED });
  });

  it('keeps hashes per replica', async () => {
    const elsewhere = persisted('Elsewhere');
    expect(await register(first, elsewhere)).toEqual(EXPECTED);
    expect((await getByHash(first, elsewhere)).status).toBe(200);
    expect((await getByHash(second, elsewhere)).body).toMatchObject(notFound);
  });

  it('counts hits, misses and registrations in /metrics', async () => {
    const counted = persisted('Counted');
    const before = await persistedCounts(first);
    expect((await getByHash(first, counted)).body).toMatchObject(notFound);
    expect(await register(first, counted)).toEqual(EXPECTED);
    expect((await getByHash(first, counted)).body).toEqual(EXPECTED);
    // One miss, then a registration and a hit.
    const after = await persistedCounts(first);
    expect(after.map((count, i) => count - (before[i] ?? 0))).toEqual([1, 1, 1]);
  });
});

(redisAvailable ? describe : describe.skip)(
  'automatic persisted queries in Redis (REDIS_URL)',
  () => {
    let redis: RedisServer;
    let first: Harness;
    let second: Harness;
    beforeAll(async () => {
      redis = await startRedis();
      const env = { REDIS_URL: redis.url };
      // One after the other: Jest's ESM loader can fail two concurrent first imports of one
      // module ("request for '@keyv/serialize' is not in cache"); Node itself does not.
      first = await startHarness(accounts, { env });
      second = await startHarness(accounts, { env });
    });
    afterAll(async () => {
      await Promise.all([first.stop(), second.stop()]);
      await redis.stop();
    });

    it('shares a hash registered with one replica with every other', async () => {
      expect((await getByHash(second)).body).toMatchObject(notFound);
      expect(await register(first)).toEqual(EXPECTED);
      // Apollo writes a registration after answering: the other replica knows it a moment later.
      await waitFor(async () => !(await getByHash(second)).body.errors, 2000);
      expect(await getByHash(second)).toEqual({ status: 200, body: EXPECTED });
    });
  },
);

if (!redisAvailable) {
  process.stderr.write(
    'persistedQueries.test.ts: redis-server is not installed, so the Redis tests are skipped ' +
      '(apt-get install redis-server; .ci/run does).\n',
  );
}

describe('automatic persisted queries with Redis unreachable', () => {
  let harness: Harness;
  beforeAll(async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    harness = await startHarness(accounts, { env });
  });
  afterAll(() => harness.stop());

  it('treats the store as empty: the client sends the text and gets its answer', async () => {
    expect((await getByHash(harness)).body).toMatchObject(notFound);
    expect(await register(harness)).toEqual(EXPECTED);
  });
});

(redisAvailable ? describe : describe.skip)(
  'automatic persisted queries when Redis goes away',
  () => {
    // Each test has a Redis and a gateway of its own, and stops that Redis itself.
    let redis: RedisServer;
    let harness: Harness;
    beforeEach(async () => {
      redis = await startRedis();
      harness = await startHarness(accounts, { env: { REDIS_URL: redis.url } });
    });
    afterEach(async () => {
      await harness.stop();
      await redis.stop();
    });

    it('answers a known hash as a miss, and the text as usual, once Redis has stopped', async () => {
      expect(await register(harness)).toEqual(EXPECTED);
      await redis.stop();
      const started = Date.now();
      expect((await getByHash(harness)).body).toMatchObject(notFound);
      expect(await register(harness)).toEqual(EXPECTED);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(harness.logs.join('')).toContain('Redis');
    });

    it('uses Redis again once it is back', async () => {
      await redis.stop();
      expect((await getByHash(harness)).body).toMatchObject(notFound);
      redis = await startRedis(Number(new URL(redis.url).port));
      // The client reconnects on its own schedule; until then, lookups are misses and
      // registrations are lost, so the client registers again after each miss, as clients do.
      await waitFor(async () => {
        if (!(await getByHash(harness)).body.errors) return true;
        await register(harness);
        return false;
      }, 10_000);
      expect((await getByHash(harness)).body).toEqual(EXPECTED);
    });
  },
);
