import { UpstreamError } from '../../src/upstream/upstreamError.js';
import { UpstreamLimiter } from '../../src/upstream/limiter.js';

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

const never = new AbortController().signal;
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
