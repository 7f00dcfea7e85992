import { setMaxListeners } from 'node:events';
import { UpstreamError } from '../../src/upstream/upstreamError.js';
import {
  FORGET_IDLE_MS,
  MAX_IDLE_KEYS,
  UpstreamLimiter,
  type Outcome,
} from '../../src/upstream/limiter.js';

/** Tasks that run until finished by name, recording the order in which they started. */
function recorder() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const task = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finishers.set(name, () => resolve(name));
    });
  return { started, task, finish: (name: string) => finishers.get(name)?.() };
}

// One signal stands for every waiting operation here, so it carries more than Node's default of
// 10 abort listeners; the gateway lifts that limit on each operation's signal the same way.
const never = new AbortController().signal;
setMaxListeners(0, never);
// Lets every settled promise run its continuations.
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UpstreamLimiter', () => {
  it('serves waiting keys round-robin, so a busy token does not starve a quiet one', async () => {
    const limiter = new UpstreamLimiter({
      concurrency: 1,
      perKey: 1,
      queue: 100,
      queuePerKey: 100,
    });
    const { started, task, finish } = recorder();
    const runs = ['a1', 'a2', 'a3', 'a4', 'b1'].map((name) =>
      limiter.run(name[0] as string, never, task(name)),
    );
    for (let i = 0; i < 5; i++) {
      await tick();
      finish(started[i] as string);
    }
    await Promise.all(runs);
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
  });

  it('keeps each key to its own bound and all keys to the overall one', async () => {
    const limiter = new UpstreamLimiter({
      concurrency: 3,
      perKey: 2,
      queue: 100,
      queuePerKey: 100,
    });
    const { started, task, finish } = recorder();
    const runs = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'].map((name) =>
      limiter.run(name[0] as string, never, task(name)),
    );
    await tick();
    expect(started).toEqual(['a1', 'a2', 'b1']); // a3 waits for its key, b2 and c1 for room
    finish('a1');
    await tick();
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    finish('b1');
    await tick();
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'b2']);
    finish('a2');
    await tick();
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'c1']);
    ['a3', 'b2', 'c1'].forEach(finish);
    await Promise.all(runs);
  });

  it('refuses with BUSY when the queue for a key is full, and takes work again once it drains', async () => {
    const limiter = new UpstreamLimiter({ concurrency: 10, perKey: 1, queue: 100, queuePerKey: 1 });
    const { task, finish } = recorder();
    const running = limiter.run('a', never, task('first'));
    const waiting = limiter.run('a', never, task('second'));
    const refused = limiter.run('a', never, async () => 'third');
    await expect(refused).rejects.toMatchObject({
      kind: 'BUSY',
      details: { retryAfterSeconds: 1 },
    });
    await expect(limiter.run('b', never, async () => 'other key')).resolves.toBe('other key');
    finish('first');
    await tick();
    finish('second');
    await expect(Promise.all([running, waiting])).resolves.toEqual(['first', 'second']);
    await expect(limiter.run('a', never, async () => 'later')).resolves.toBe('later');
  });

  it('refuses with BUSY when the overall queue is full', async () => {
    const limiter = new UpstreamLimiter({ concurrency: 1, perKey: 1, queue: 1, queuePerKey: 10 });
    const { task, finish } = recorder();
    const running = limiter.run('a', never, task('held'));
    const waiting = limiter.run('b', never, async () => 'b');
    await expect(limiter.run('c', never, async () => 'c')).rejects.toBeInstanceOf(UpstreamError);
    finish('held');
    await expect(Promise.all([running, waiting])).resolves.toEqual(['held', 'b']);
  });

  it('drops a waiting task whose operation is aborted, with the reason as its error', async () => {
    const limiter = new UpstreamLimiter({ concurrency: 1, perKey: 1, queue: 10, queuePerKey: 10 });
    const { task, finish } = recorder();
    const running = limiter.run('a', never, task('held'));
    const deadline = new AbortController();
    const gone = new AbortController();
    const timedOut = limiter.run('a', deadline.signal, async () => 'never runs');
    const cancelled = limiter.run('a', gone.signal, async () => 'never runs');
    const next = limiter.run('a', never, async () => 'next');
    deadline.abort(new DOMException('deadline', 'TimeoutError'));
    gone.abort(new Error('disconnected'));
    const [deadlineResult, goneResult] = await Promise.allSettled([timedOut, cancelled]);
    expect(deadlineResult).toMatchObject({ status: 'rejected', reason: { kind: 'TIMEOUT' } });
    expect(goneResult).toMatchObject({ status: 'rejected', reason: { kind: 'CANCELLED' } });
    finish('held');
    await expect(Promise.all([running, next])).resolves.toEqual(['held', 'next']);
  });

  it('does not start a task whose operation is already aborted', async () => {
    const limiter = new UpstreamLimiter({ concurrency: 1, perKey: 1, queue: 10, queuePerKey: 10 });
    const aborted = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));
    let ran = false;
    await expect(
      limiter.run('a', aborted, async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ kind: 'TIMEOUT' });
    expect(ran).toBe(false);
  });
});

describe('UpstreamLimiter windows', () => {
  /** A task that is answered when its test says so, with the outcome the test gives. */
  function controlled() {
    const pending: ((outcome: Outcome) => void)[] = [];
    const task = () => new Promise<Outcome>((resolve) => pending.push(resolve));
    const answer = (outcome: Outcome, count = 1) => {
      for (const resolve of pending.splice(0, count)) resolve(outcome);
    };
    return { pending, task, answer };
  }
  const asIs = (outcome: Outcome) => outcome;
  const options = { concurrency: 1000, perKey: 64, perKeyMin: 2, queue: 1000, queuePerKey: 1000 };

  it('lets a key whose tasks are answered grow past the initial 8, up to perKey', async () => {
    const limiter = new UpstreamLimiter(options);
    const { pending, task, answer } = controlled();
    const runs = Array.from({ length: 200 }, () => limiter.run('a', never, task, asIs));
    await tick();
    expect(pending).toHaveLength(8);
    answer('answered', 8);
    await tick();
    expect(pending).toHaveLength(16);
    answer('answered', 16);
    await tick();
    expect(pending).toHaveLength(32);
    answer('answered', 32);
    await tick();
    expect(pending).toHaveLength(64);
    expect(limiter.windows()).toEqual([64]);
    while (pending.length > 0) {
      answer('answered', pending.length);
      await tick();
    }
    await Promise.all(runs);
  });

  it("halves a key's window on pushback, tells onDecrease, and leaves other keys alone", async () => {
    const decreases: [number, number][] = [];
    const limiter = new UpstreamLimiter({
      ...options,
      onDecrease: (from, to) => decreases.push([from, to]),
    });
    const a = controlled();
    const b = controlled();
    const runs = [
      ...Array.from({ length: 20 }, () => limiter.run('a', never, a.task, asIs)),
      ...Array.from({ length: 40 }, () => limiter.run('b', never, b.task, asIs)),
    ];
    await tick();
    a.answer('pushback', 2); // the second was sent at the same size: one decrease
    b.answer('answered', 8);
    await tick();
    expect(decreases).toEqual([[8, 4]]);
    expect(limiter.windows()).toEqual([4, 16]);
    expect(a.pending).toHaveLength(6); // the rest of the old window, still in flight
    a.answer('answered', 6);
    b.answer('answered', b.pending.length);
    await tick();
    expect(a.pending).toHaveLength(4);
    while (a.pending.length + b.pending.length > 0) {
      a.answer('answered', a.pending.length);
      b.answer('answered', b.pending.length);
      await tick();
    }
    await Promise.all(runs);
  });

  it('forgets a key idle for a minute, and idle keys beyond the most it keeps', async () => {
    let now = 0;
    const limiter = new UpstreamLimiter({ ...options, now: () => now });
    await limiter.run('a', never, async () => 'pushback' as const, asIs);
    expect(limiter.windows()).toEqual([4]);
    now += FORGET_IDLE_MS - 1;
    expect(limiter.windows()).toEqual([4]);
    now += 1;
    expect(limiter.windows()).toEqual([]);

    for (let i = 0; i <= MAX_IDLE_KEYS; i++) await limiter.run(`key-${i}`, never, async () => i);
    expect(limiter.windows()).toHaveLength(MAX_IDLE_KEYS);
  });

  it('starts a key that comes back after a minute idle at the initial window again', async () => {
    let now = 0;
    const limiter = new UpstreamLimiter({ ...options, now: () => now });
    await limiter.run('a', never, async () => 'pushback' as const, asIs);
    now += FORGET_IDLE_MS;
    const { task, answer } = controlled();
    const run = limiter.run('a', never, task, asIs);
    expect(limiter.windows()).toEqual([8]);
    answer('answered');
    await run;
  });
});
