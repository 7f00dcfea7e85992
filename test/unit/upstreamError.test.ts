import { fromRequestError, fromStatus, UpstreamError } from '../../src/upstream/upstreamError.js';

// Failures with no HTTP status, by the code Node, got or zlib gives them (the integration
// suites reach refused and reset connections, the attempt timer and the size cap over real
// sockets).
describe('fromRequestError', () => {
  it.each([
    ["got's attempt timeout", { code: 'ETIMEDOUT' }, 'TIMEOUT', 'ETIMEDOUT'],
    ['body over the cap', { code: 'ERR_BUFFER_TOO_LARGE' }, 'BAD_RESPONSE', 'ERR_BUFFER_TOO_LARGE'],
    [
      'body that does not decode',
      { code: 'ERR_BODY_UNDECODABLE' },
      'BAD_RESPONSE',
      'ERR_BODY_UNDECODABLE',
    ],
    ['connection reset', { code: 'ECONNRESET' }, 'UNAVAILABLE', 'ECONNRESET'],
    ['unknown host', { code: 'ENOTFOUND' }, 'UNAVAILABLE', 'ENOTFOUND'],
    ['a body that is not valid gzip', { code: 'Z_DATA_ERROR' }, 'UNAVAILABLE', 'Z_DATA_ERROR'],
    ['no code', new Error('odd'), 'UNAVAILABLE', undefined],
    ['a code that is not text', { code: 3 }, 'UNAVAILABLE', undefined],
    ['not an object', null, 'UNAVAILABLE', undefined],
  ])('classifies %s', (_, error, kind, code) => {
    const failure = fromRequestError(error, 1024);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure.kind).toBe(kind);
    expect(failure.details.code).toBe(code);
    expect(failure.details.cause).toBe(error);
  });

  it('names the cap in the message of an oversized body', () => {
    expect(fromRequestError({ code: 'ERR_BUFFER_TOO_LARGE' }, 1024).message).toBe(
      'Stats API body is over UPSTREAM_MAX_RESPONSE_BYTES (1024)',
    );
  });
});

describe('fromStatus', () => {
  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [404, 'BAD_RESPONSE'],
    [429, 'RATE_LIMITED'],
    [500, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [301, 'BAD_RESPONSE'],
    [302, 'BAD_RESPONSE'],
    [204, 'BAD_RESPONSE'],
  ])('classifies a %i as %s', (status, kind) => {
    const failure = fromStatus(status, {}, '');
    expect(failure.kind).toBe(kind);
    expect(failure.details.status).toBe(status);
  });

  it("keeps a 400's message, cleaned and cut, never the body", () => {
    const body = JSON.stringify({ message: `bad\n${'x'.repeat(300)}`, secret: 'body' });
    const failure = fromStatus(400, {}, body);
    expect(failure.details.upstreamMessage).toBe(`bad ${'x'.repeat(196)}`);
    expect(fromStatus(400, {}, '{"error_description":"no"}').details.upstreamMessage).toBe('no');
    expect(fromStatus(400, {}, 'not json').details.upstreamMessage).toBeUndefined();
    expect(fromStatus(400, {}, 'null').details.upstreamMessage).toBeUndefined();
  });

  it('reads Retry-After on a 429 and a 5xx', () => {
    expect(fromStatus(429, { 'retry-after': '7' }, '').details.retryAfterSeconds).toBe(7);
    expect(fromStatus(503, { 'retry-after': '2' }, '').details.retryAfterSeconds).toBe(2);
    expect(fromStatus(400, { 'retry-after': '2' }, '').details.retryAfterSeconds).toBeUndefined();
  });
});
