import {
  accounts,
  EXPECTED,
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

  it('asks for the text of an unknown hash, without calling upstream', async () => {
    const response = await getByHash(first);
    expect(response.body).toMatchObject(notFound);
    expect(first.upstreamCalls()).toBe(0);
  });

  it('answers a registered hash over GET', async () => {
    expect(await register(first)).toEqual(EXPECTED);
    const response = await getByHash(first);
    expect(response).toEqual({ status: 200, body: EXPECTED });
  });

  it('keeps hashes per replica', async () => {
    expect((await getByHash(second)).body).toMatchObject(notFound);
  });

  it('counts hits, misses and registrations in /metrics', async () => {
    const counts = await Promise.all(
      ['miss', 'register', 'hit', 'dropped'].map((result) => persistedCount(first, result)),
    );
    // Above: one miss, then a registration and a hit; nothing dropped in memory.
    expect(counts).toEqual([1, 1, 1, 0]);
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
      let answer = await getByHash(second);
      for (let tries = 0; answer.body.errors && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        answer = await getByHash(second);
      }
      expect(answer).toEqual({ status: 200, body: EXPECTED });
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
    let redis: RedisServer;
    let harness: Harness;
    beforeAll(async () => {
      redis = await startRedis();
      harness = await startHarness(accounts, { env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
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
      redis = await startRedis(Number(new URL(redis.url).port));
      // The client reconnects on its own schedule and a probe then finds Redis again; until
      // then, lookups are misses and registrations are lost, so the client registers again
      // after each miss, as clients do.
      expect(await hitsAgain(harness, 10_000)).toEqual(EXPECTED);
    });
  },
);
