import {
  accounts,
  EXPECTED,
  persisted,
  getByHash,
  hitsAgain,
  medianLookupMs,
  notFound,
  persistedCount,
  register,
  timedLookup,
} from '../support/apq.js';
import { startHarness, type Harness } from '../support/harness.js';
import { freePort } from '../support/ports.js';
import { redisAvailable, startRedis, type RedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

// Automatic persisted queries: a client sends a query's SHA-256 instead of its text, and the
// text once when the gateway does not know the hash yet. Hashed queries can go over GET, so
// HTTP caches can keep their answers.

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
    const results = ['miss', 'register', 'hit', 'dropped'];
    const counts = () => Promise.all(results.map((result) => persistedCount(first, result)));
    const before = await counts();
    expect((await getByHash(first, counted)).body).toMatchObject(notFound);
    expect(await register(first, counted)).toEqual(EXPECTED);
    expect((await getByHash(first, counted)).body).toEqual(EXPECTED);
    // One miss, then a registration and a hit; nothing dropped in memory.
    const after = await counts();
    expect(after.map((count, i) => count - (before[i] ?? 0))).toEqual([1, 1, 1, 0]);
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
      // After a few failures Redis is skipped: lookups no longer wait for it at all.
      for (let i = 0; i < 3; i++) await timedLookup(harness);
      expect(await medianLookupMs(harness)).toBeLessThan(100);
    });

    it('uses Redis again once it is back', async () => {
      await redis.stop();
      expect((await getByHash(harness)).body).toMatchObject(notFound);
      redis = await startRedis(Number(new URL(redis.url).port));
      // The client reconnects on its own schedule and a probe then finds Redis again; until
      // then, lookups are misses and registrations are lost, so the client registers again
      // after each miss, as clients do.
      expect(await hitsAgain(harness, 10_000)).toEqual(EXPECTED);
    });
  },
);
