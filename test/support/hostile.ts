import fc from 'fast-check';
import {
  deepDocument,
  hostileGuidOperation,
  hugeStrings,
  manyAliases,
  mutatedDocument,
  SEEDS,
  type HostileOperation,
} from './hostileDocuments.js';
import {
  hostileBody,
  hostileExtensions,
  hostileVariables,
  jsonText,
  pastedToken,
} from './hostileJson.js';

// Whole HTTP requests a hostile or broken client might send to the gateway, for the fuzz tests
// (test/integration/fuzz.test.ts): the documents, variables and bodies of hostileDocuments.ts
// and hostileJson.ts, sent with odd methods, headers, content types and query strings.

export interface HostileRequest {
  kind: string;
  method: string;
  /** The request-target as sent: a path with its query string, or an absolute URL. */
  target: string;
  /** In order, duplicates kept; `{token}` stands for the caller's credential. */
  headers: [string, string][];
  body: Buffer;
  /** The generator knows the gateway must refuse it before any Stats API call. */
  refused: boolean;
}

/** The first value of a header, as Node keeps it when a request repeats the header. */
export const headerOf = (request: HostileRequest, name: string): string | undefined =>
  request.headers.find(([header]) => header === name)?.[1];

/** Every operation generator, valid ones included. */
export const operations: fc.Arbitrary<HostileOperation> = fc.oneof(
  fc.constantFrom(...SEEDS).map((seed) => ({ kind: 'example', ...seed, refused: false })),
  mutatedDocument,
  hostileGuidOperation,
  deepDocument,
  manyAliases,
  hugeStrings,
  hostileVariables,
  pastedToken,
);

// Header values Node's client will send: Latin-1 from the space up, DEL left out.
const headerValue: fc.Arbitrary<string> = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'Application/Json;charset=UTF-8',
  'application/json;charset=latin1',
  'application/jsonx',
  'application/graphql',
  'application/graphql-response+json',
  'text/plain',
  'text/plain;charset=utf-8',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
  'application/json, text/plain',
];
const ACCEPTS = [
  '*/*',
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json;q=0.9, application/json;q=0.8',
  'text/html',
  'text/html, application/json',
  'application/xml',
  'multipart/mixed',
  'multipart/mixed;deferSpec=20220824, application/json',
  'text/event-stream',
  ';;;,,q=x',
];

const contentType = fc.oneof(
  { arbitrary: fc.constant(['application/json']), weight: 8 },
  fc.constantFrom(...CONTENT_TYPES).map((value) => [value]),
  headerValue.map((value) => [value]),
  fc.constant([]),
  fc
    .tuple(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...CONTENT_TYPES))
    .map(([a, b]) => [a, b]),
);

const optional = (values: fc.Arbitrary<string[]>) =>
  fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 3 }, values);

const authorization = fc.oneof(
  { arbitrary: fc.constant(['Bearer {token}']), weight: 6 },
  fc.constantFrom(
    ['bearer {token}'],
    ['BEARER   {token}'],
    ['{token}'],
    ['Basic {token}'],
    ['Bearer {token}', 'Bearer {token}'],
    ['Bearer {token}, Bearer {token}'],
    [],
  ),
);

const extraHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('x-request-id'), fc.oneof(headerValue, fc.constant('r'.repeat(200)))),
    fc
      .integer({ min: 1024, max: 20_000 })
      .map((size): [string, string] => ['x-padding', 'p'.repeat(size)]),
    fc.constantFrom<[string, string]>(
      ['origin', 'http://evil.example'],
      ['cookie', 'session=1'],
      ['content-encoding', 'gzip'],
      ['expect', '100-continue'],
      ['connection', 'upgrade'],
      ['upgrade', 'websocket'],
      ['x-forwarded-for', '127.0.0.1, ::1'],
      ['x-apollo-operation-name', 'One'],
    ),
    fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue),
  ),
  { maxLength: 3 },
);

const METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'FOO'];

/** The headers around a body or query string: each kind alone or missing or doubled. */
const headers: fc.Arbitrary<[string, string][]> = fc
  .tuple(
    contentType,
    optional(fc.oneof(fc.constantFrom(...ACCEPTS), headerValue).map((value) => [value])),
    optional(fc.constantFrom(['true'], [''], ['0'], ['true', 'false'])),
    authorization,
    extraHeaders,
  )
  .map(([types, accepts, preflight, auths, extra]) => [
    ...types.map((value): [string, string] => ['content-type', value]),
    ...accepts.map((value): [string, string] => ['accept', value]),
    ...preflight.map((value): [string, string] => ['apollo-require-preflight', value]),
    ...auths.map((value): [string, string] => ['authorization', value]),
    ...extra,
  ]);

// encodeURIComponent throws on a lone surrogate; a browser would send U+FFFD for it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const percent = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));

// A GET request's query string: the operation's fields, each perhaps mangled, doubled or dropped.
const searchParams: fc.Arbitrary<string> = fc
  .tuple(
    operations,
    fc.option(hostileExtensions, { nil: undefined }),
    fc.array(
      fc.constantFrom(
        '%ZZ',
        '%',
        '%00',
        '%FF%FE',
        '&&',
        '=',
        'query',
        'query=',
        'variables=%7B',
        'operationName=%00',
      ),
      { maxLength: 3 },
    ),
    fc.option(jsonText, { nil: undefined }),
  )
  .map(([op, extensions, junk, operationName]) => {
    const params = [`query=${percent(op.query)}`];
    if (op.variables !== undefined) params.push(`variables=${percent(op.variables)}`);
    if (extensions !== undefined) params.push(`extensions=${percent(extensions)}`);
    if (operationName !== undefined) params.push(`operationName=${percent(operationName)}`);
    return [...params, ...junk].join('&');
  });

const ODD_TARGETS = [
  '//',
  '/\\',
  '//graphql',
  '///graphql',
  '/graphql/',
  '/GRAPHQL',
  '/graphql;x',
  '/graphql%00',
  '/%2e%2e/graphql',
  '/graphql/../graphql',
  'http://evil.example/graphql',
  '*',
  '/healthz?%ZZ',
  '/metrics?x=1',
];

/** Any request at all: POST bodies, GET query strings, odd methods and odd paths. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .oneof(
    { arbitrary: fc.tuple(hostileBody(operations), headers), weight: 6 },
    { arbitrary: fc.tuple(searchParams, headers), weight: 2 },
    fc.tuple(fc.constantFrom(...METHODS), hostileBody(operations), headers),
    fc.tuple(
      fc.constantFrom(...ODD_TARGETS),
      fc.constantFrom('GET', 'POST'),
      hostileBody(operations),
      headers,
    ),
  )
  .map((picked) => describable(build(picked)));

// fast-check prints a failing request with this: bodies can be hundreds of kilobytes.
function describable(request: HostileRequest): HostileRequest {
  const clip = (text: string) =>
    text.length > 300 ? `${text.slice(0, 300)}... (${text.length})` : text;
  return Object.assign(request, {
    [fc.toStringMethod]: () =>
      JSON.stringify({
        ...request,
        target: clip(request.target),
        headers: request.headers.map(([name, value]) => [name, clip(value)]),
        body: clip(request.body.toString('utf8')),
      }),
  });
}

type Picked =
  | [string, string, { bytes: Buffer; kind: string; refused: boolean }, [string, string][]]
  | [string, { bytes: Buffer; kind: string; refused: boolean }, [string, string][]]
  | [string | { bytes: Buffer; kind: string; refused: boolean }, [string, string][]];

function build(picked: Picked): HostileRequest {
  if (picked.length === 4) {
    const [target, method, body, headers] = picked;
    return {
      kind: `${method} ${target}`,
      method,
      target,
      headers,
      body: body.bytes,
      refused: body.refused,
    };
  }
  if (picked.length === 3) {
    const [method, body, headers] = picked;
    return {
      kind: `${method} ${body.kind}`,
      method,
      target: '/graphql',
      headers,
      body: body.bytes,
      refused: true,
    };
  }
  const [bodyOrSearch, headers] = picked;
  if (typeof bodyOrSearch === 'string') {
    const target = `/graphql?${bodyOrSearch}`;
    return { kind: 'GET', method: 'GET', target, headers, body: Buffer.alloc(0), refused: false };
  }
  const { kind, bytes, refused } = bodyOrSearch;
  return {
    kind: `POST ${kind}`,
    method: 'POST',
    target: '/graphql',
    headers,
    body: bytes,
    refused,
  };
}
