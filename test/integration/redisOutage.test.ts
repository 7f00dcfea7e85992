import {
  accounts,
  droppedByRegistering,
  EXPECTED,
  hitsAgain,
  medianLookupMs,
  notFound,
  timedLookup,
} from '../support/apq.js';
import { startHarness, type Harness } from '../support/harness.js';
import { freePort } from '../support/ports.js';
import {
  redisAvailable,
  startRedis,
  startSilentServer,
  type RedisServer,
  type SilentServer,
} from '../support/redis.js';

// A Redis that is down, paused or black-holed must cost a persisted-query lookup at most
// REDIS_TIMEOUT_MS, and after a few failures nothing at all: lookups become immediate misses
// (the client then sends the text, as the APQ protocol has it) and registrations are dropped
// and counted, until a probe in the background finds Redis answering again.

async function timedStart(env: Record<string, string>) {
  const started = performance.now();
  const harness = await startHarness(accounts, { env });
  return { harness, ms: performance.now() - started };
}

describe('automatic persisted queries with a Redis that accepts connections and never answers', () => {
  let silent: SilentServer;
  let harness: Harness;
  let bootMs: number;
  let stopped = false;
  beforeAll(async () => {
    silent = await startSilentServer();
    ({ harness, ms: bootMs } = await timedStart({ REDIS_URL: silent.url }));
  });
  afterAll(async () => {
    if (!stopped) await harness.stop();
    await silent.stop();
  });

  it('boots without waiting on Redis', () => {
    expect(bootMs).toBeLessThan(2000);
  });

  it('answers a hash PERSISTED_QUERY_NOT_FOUND within a few hundred ms', async () => {
    const { ms, body } = await timedLookup(harness);
    expect(body).toMatchObject(notFound);
    expect(ms).toBeLessThan(800);
  });

  it('after repeated failures, answers lookups at once without asking Redis', async () => {
    for (let i = 0; i < 3; i++) await timedLookup(harness);
    expect(await medianLookupMs(harness)).toBeLessThan(100);
    const warnings = harness.logLines().filter((line) => line.msg?.includes('skip it'));
    expect(warnings).toHaveLength(1);
  });

  it('answers a registration from its text, and drops and counts what it cannot store', async () => {
    expect(await droppedByRegistering(harness)).toBe(1);
  });

  it('stops without waiting on Redis', async () => {
    expect(silent.connections()).toBeGreaterThan(0);
    const started = performance.now();
    stopped = true;
    await harness.stop();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('automatic persisted queries with nothing listening at REDIS_URL', () => {
  it('boots promptly and answers lookups at once', async () => {
    const { harness, ms } = await timedStart({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      expect(ms).toBeLessThan(2000);
      for (let i = 0; i < 3; i++) await timedLookup(harness);
      expect(await medianLookupMs(harness)).toBeLessThan(100);
    } finally {
      await harness.stop();
    }
  });
});

(redisAvailable ? describe : describe.skip)('automatic persisted queries when Redis pauses', () => {
  const TIMEOUT_MS = 200;
  let redis: RedisServer;
  let harness: Harness;
  beforeAll(async () => {
    redis = await startRedis();
    harness = await startHarness(accounts, {
      env: { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
  });
  afterAll(async () => {
    await harness.stop();
    await redis.stop();
  });

  it('answers a known hash as a miss within REDIS_TIMEOUT_MS once Redis stops answering', async () => {
    expect(await hitsAgain(harness, 5000)).toEqual(EXPECTED);
    redis.pause();
    const { ms, body } = await timedLookup(harness);
    expect(body).toMatchObject(notFound);
    expect(ms).toBeLessThan(TIMEOUT_MS + 500);
  });

  it('after repeated timeouts, answers lookups at once and drops registrations', async () => {
    for (let i = 0; i < 3; i++) await timedLookup(harness);
    expect(await medianLookupMs(harness)).toBeLessThan(100);
    expect(await droppedByRegistering(harness)).toBe(1);
  });

  it('uses Redis again once it answers again', async () => {
    redis.resume();
    expect(await hitsAgain(harness, 5000)).toEqual(EXPECTED);
    expect(harness.logs.join('')).toContain('Redis answers again');
  });
});

(redisAvailable ? describe : describe.skip)(
  'automatic persisted queries with a Redis that refuses every command',
  () => {
    let redis: RedisServer;
    let harness: Harness;
    beforeAll(async () => {
      // No password in REDIS_URL: every command is answered NOAUTH, at once.
      redis = await startRedis(undefined, ['--requirepass', 'not-given']);
      harness = await startHarness(accounts, { env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
      await harness.stop();
      await redis.stop();
    });

    it('counts error replies as failures: Redis is skipped and registrations are dropped', async () => {
      for (let i = 0; i < 3; i++) expect((await timedLookup(harness)).body).toMatchObject(notFound);
      expect(harness.logLines().filter((line) => line.msg?.includes('skip it'))).toHaveLength(1);
      expect(await droppedByRegistering(harness)).toBe(1);
    });
  },
);
