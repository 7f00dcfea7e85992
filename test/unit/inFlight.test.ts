import { createInFlightRequests, type Joiner } from '../../src/upstream/inFlight.js';

// The exchange's own signal and deadline, seen from inside `send`; the HTTP side of joining is
// tested over sockets in test/integration/deduplication.test.ts.

interface Held {
  exchange: Joiner;
  answer: (value: string) => void;
  fail: (error: Error) => void;
}

function held(sent: Held[]) {
  return (exchange: Joiner) =>
    new Promise<string>((answer, fail) => sent.push({ exchange, answer, fail }));
}

const caller = (deadline: number, signal = new AbortController().signal): Joiner => ({
  signal,
  deadline,
});

describe('in-flight requests', () => {
  it('runs the exchange on the latest deadline of those who joined it', async () => {
    const sent: Held[] = [];
    const joins: boolean[] = [];
    const requests = createInFlightRequests({ onJoin: (joined) => joins.push(joined) });
    const first = requests.join('k', caller(1000), held(sent));
    const second = requests.join('k', caller(3000), held(sent));
    const third = requests.join('k', caller(2000), held(sent));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.exchange.deadline).toBe(3000);
    sent[0]?.answer('done');
    expect(await Promise.all([first, second, third])).toEqual(['done', 'done', 'done']);
    expect(joins).toEqual([false, true, true]);
  });

  it('cuts the exchange only when its last caller leaves, with that caller’s reason', async () => {
    const sent: Held[] = [];
    const requests = createInFlightRequests({});
    const a = new AbortController();
    const b = new AbortController();
    const first = requests.join('k', caller(1000, a.signal), held(sent));
    const second = requests.join('k', caller(1000, b.signal), held(sent));
    const signal = sent[0]?.exchange.signal as AbortSignal;

    a.abort();
    await expect(first).rejects.toMatchObject({ kind: 'CANCELLED' });
    expect(signal.aborted).toBe(false);

    b.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(second).rejects.toMatchObject({ kind: 'TIMEOUT' });
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it('starts a new exchange once the last one is cut, rather than joining a dead one', async () => {
    const sent: Held[] = [];
    const requests = createInFlightRequests({});
    const gone = new AbortController();
    const first = requests.join('k', caller(1000, gone.signal), held(sent));
    gone.abort();
    await expect(first).rejects.toMatchObject({ kind: 'CANCELLED' });
    const next = requests.join('k', caller(1000), held(sent));
    expect(sent).toHaveLength(2);
    sent[1]?.answer('fresh');
    expect(await next).toBe('fresh');
  });

  it('shares a failure, and keeps none: the next request is sent anew', async () => {
    const sent: Held[] = [];
    const requests = createInFlightRequests({});
    const first = requests.join('k', caller(1000), held(sent));
    const second = requests.join('k', caller(1000), held(sent));
    sent[0]?.fail(new Error('upstream down'));
    await expect(first).rejects.toThrow('upstream down');
    await expect(second).rejects.toThrow('upstream down');
    const third = requests.join('k', caller(1000), held(sent));
    expect(sent).toHaveLength(2);
    sent[1]?.answer('back');
    expect(await third).toBe('back');
  });

  it('never joins requests under different keys', () => {
    const sent: Held[] = [];
    const requests = createInFlightRequests({});
    void requests.join('token-a /x', caller(1000), held(sent));
    void requests.join('token-b /x', caller(1000), held(sent));
    expect(sent).toHaveLength(2);
  });

  it('refuses a caller who has already left, sending nothing', async () => {
    const sent: Held[] = [];
    const requests = createInFlightRequests({});
    const gone = new AbortController();
    gone.abort();
    await expect(requests.join('k', caller(1000, gone.signal), held(sent))).rejects.toMatchObject({
      kind: 'CANCELLED',
    });
    expect(sent).toHaveLength(0);
  });
});
