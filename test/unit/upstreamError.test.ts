import { UpstreamError } from '../../src/upstream/upstreamError.js';
import { fromRequestError } from '../../src/upstream/statsClient.js';

// Failures with no HTTP status, by the code Node or undici gives them (the integration suites
// reach refused and reset connections, the attempt timer and the size cap over real sockets).
describe('fromRequestError', () => {
  it.each([
    [
      'undici header timeout',
      { code: 'UND_ERR_HEADERS_TIMEOUT' },
      'TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
    ],
    ['undici body timeout', { code: 'UND_ERR_BODY_TIMEOUT' }, 'TIMEOUT', 'UND_ERR_BODY_TIMEOUT'],
    ['connect timeout', { code: 'UND_ERR_CONNECT_TIMEOUT' }, 'TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'],
    [
      'body over the cap',
      { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' },
      'BAD_RESPONSE',
      'UND_ERR_RES_EXCEEDED_MAX_SIZE',
    ],
    ['unknown host', { code: 'ENOTFOUND' }, 'UNAVAILABLE', 'ENOTFOUND'],
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
    expect(fromRequestError({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' }, 1024).message).toBe(
      'Stats API body is over UPSTREAM_MAX_RESPONSE_BYTES (1024)',
    );
  });
});
