import { retryAfterSeconds, retryDelayMs } from '../../src/upstream/retryPolicy.js';
import { UpstreamError } from '../../src/upstream/upstreamError.js';

describe('retryDelayMs', () => {
  const now = 1_000_000;
  const deadline = now + 10_000;
  const half = () => 0.5;
  const failure = (details: UpstreamError['details']) =>
    new UpstreamError('UNAVAILABLE', 'test', details);

  it.each([429, 502, 503, 504])('retries a %i with exponential backoff and jitter', (status) => {
    expect(retryDelayMs(failure({ status }), 0, 2, deadline, now, half)).toBe(50);
    expect(retryDelayMs(failure({ status }), 1, 2, deadline, now, half)).toBe(100);
    expect(retryDelayMs(failure({ status }), 1, 2, deadline, now, () => 0.99)).toBeCloseTo(198);
  });

  it('caps the backoff at 2 s', () => {
    expect(retryDelayMs(failure({ status: 503 }), 9, 10, deadline, now, () => 1)).toBe(2000);
  });

  it.each([400, 401, 403, 404, 500, 501])('does not retry a %i', (status) => {
    expect(retryDelayMs(failure({ status }), 0, 2, deadline, now, half)).toBeUndefined();
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE'])(
    'retries a connection that failed with %s',
    (code) => {
      expect(retryDelayMs(failure({ code }), 0, 2, deadline, now, half)).toBe(50);
    },
  );

  it('does not retry a timeout, a bad body or an unknown network error', () => {
    expect(retryDelayMs(failure({ code: 'ETIMEDOUT' }), 0, 2, deadline, now)).toBeUndefined();
    expect(
      retryDelayMs(failure({ code: 'ERR_BUFFER_TOO_LARGE' }), 0, 2, deadline, now),
    ).toBeUndefined();
    expect(retryDelayMs(failure({ code: 'ENOTFOUND' }), 0, 2, deadline, now)).toBeUndefined();
    expect(retryDelayMs(failure({}), 0, 2, deadline, now)).toBeUndefined();
  });

  it('stops when the retries are used up', () => {
    expect(retryDelayMs(failure({ status: 503 }), 2, 2, deadline, now, half)).toBeUndefined();
    expect(retryDelayMs(failure({ status: 503 }), 0, 0, deadline, now, half)).toBeUndefined();
  });

  it('waits as long as Retry-After says when that fits the deadline, and not at all otherwise', () => {
    const limited = (retryAfterSeconds: number) => failure({ status: 429, retryAfterSeconds });
    expect(retryDelayMs(limited(3), 0, 2, deadline, now, half)).toBe(3000);
    expect(retryDelayMs(limited(0), 0, 2, deadline, now, half)).toBe(0);
    expect(retryDelayMs(limited(10), 0, 2, deadline, now, half)).toBeUndefined();
    expect(retryDelayMs(limited(60), 0, 2, deadline, now, half)).toBeUndefined();
  });

  it('does not back off past the deadline', () => {
    expect(retryDelayMs(failure({ status: 503 }), 0, 2, now + 40, now, () => 1)).toBeUndefined();
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it.each([
    ['7', 7],
    [' 0 ', 0],
    ['Tue, 24 Nov 2026 12:00:30 GMT', 30],
    ['Tue, 24 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('reads %j as %j seconds', (header, seconds) => {
    expect(retryAfterSeconds(header, now)).toBe(seconds);
  });
});
