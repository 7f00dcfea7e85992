import { createHash } from 'node:crypto';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { AUTH, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { freePort } from '../support/ports.js';
import { redisAvailable, startRedis, type RedisServer } from '../support/redis.js';
import { sleep } from '../support/wait.js';

// Automatic persisted queries: a client sends a query's SHA-256 instead of its text, and the
// text once when the gateway does not know the hash yet. Hashed queries can go over GET, so
// HTTP caches can keep their answers.

const QUERY = 'query Brief($guid: ID!) { interaction(guid: $guid) { guid status duration } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const EXTENSIONS = { persistedQuery: { version: 1, sha256Hash: HASH } };
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
async function getByHash(harness: Harness) {
  const url = new URL(harness.gateway.url);
  url.searchParams.set('extensions', JSON.stringify(EXTENSIONS));
  url.searchParams.set('variables', JSON.stringify({ guid: SAMPLE_GUID }));
  const response = await fetch(url, { headers: { ...AUTH, 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Registers the query: its text and its hash, as a client does after PERSISTED_QUERY_NOT_FOUND. */
async function register(harness: Harness) {
  const response = await fetch(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({
      query: QUERY,
      variables: { guid: SAMPLE_GUID },
      extensions: EXTENSIONS,
    }),
  });
  return (await response.json()) as Record<string, unknown>;
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
    const text = await (await fetch(new URL('/metrics', first.gateway.url))).text();
    const count = (result: string) =>
      Number(
        text.match(
          new RegExp(`^stats_gateway_persisted_queries_total\\{result="${result}"\\} (\\d+)$`, 'm'),
        )?.[1],
      );
    // Above: one miss, then a registration and a hit.
    expect([count('miss'), count('register'), count('hit')]).toEqual([1, 1, 1]);
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
    });

    it('uses Redis again once it is back', async () => {
      redis = await startRedis(Number(new URL(redis.url).port));
      // The client reconnects on its own schedule; until then, lookups are misses and
      // registrations are lost, so the client registers again after each miss, as clients do.
      let answer = (await getByHash(harness)).body;
      for (let tries = 0; answer.errors && tries < 100; tries++) {
        await register(harness);
        await sleep(50);
        answer = (await getByHash(harness)).body;
      }
      expect(answer).toEqual(EXPECTED);
    });
  },
);
