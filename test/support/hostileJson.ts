import fc from 'fast-check';
import { SAMPLE_GUID } from './fixture.js';
import { hostileString, LIMITS, SEEDS, type HostileOperation } from './hostileDocuments.js';

// JSON a hostile client might send: as variables, as extensions and as whole request bodies.
// Built as text, so that it can hold what JSON.stringify cannot write (an own `__proto__` key,
// a duplicate key, nesting deeper than any stack) and bytes that are not UTF-8 at all.

const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'length'];

const scalarText: fc.Arbitrary<string> = fc.oneof(
  hostileString.map((text) => JSON.stringify(text)),
  fc.integer().map(String),
  fc.constantFrom(
    '1e400',
    '-0',
    '123456789012345678901234567890',
    '0.1',
    'true',
    'null',
    '{}',
    '[]',
  ),
);

/** Any JSON value as text, keys chosen to trip prototype lookups. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie('value')), {
        maxLength: 5,
      })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** Lists or objects nested far deeper than any sane input, and lists far longer. */
export const deepJson: fc.Arbitrary<string> = fc.oneof(
  fc
    .integer({ min: 100, max: 50_000 })
    .map((n) => `${'['.repeat(n)}"${SAMPLE_GUID}"${']'.repeat(n)}`),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `${'{"__proto__":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => `[${Array(n).fill('null').join(',')}]`),
);

const TYPED = [
  'query($g: ID!) { interaction(guid: $g) { guid } }',
  'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
  'query($s: DateTime!, $e: DateTime, $p: Int, $l: Int) { interactions(start: $s, end: $e, page: $p, limit: $l) { page } }',
  'query($p: Int, $l: Int) { ongoingInteractions(page: $p, limit: $l) { page } }',
  'query($g: ID!, $t: [String!]) { interaction(guid: $g) { events(types: $t) { type } } }',
];
const NAMES = ['g', 's', 'e', 'p', 'l', 't'];

/** Operations with typed variables given values of any type, of any depth, with odd keys. */
export const hostileVariables: fc.Arbitrary<HostileOperation> = fc
  .tuple(
    fc.constantFrom(...TYPED),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES, ...KEYS)), fc.oneof(jsonText, deepJson)), {
      maxLength: 4,
    }),
  )
  .map(([query, entries]) => ({
    kind: 'hostile variables',
    query,
    variables: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`,
    refused: false,
  }));

/** The caller's token pasted where a value goes, as a variable or inline, as a confused client might. */
export const pastedToken: fc.Arbitrary<HostileOperation> = fc
  .tuple(
    fc.constantFrom(...TYPED),
    fc.constantFrom(...NAMES),
    fc.constantFrom('"{token}"', '"Bearer {token}"', '["{token}"]', '{"token":"{token}"}'),
  )
  .map(([query, name, value]) => ({
    kind: 'pasted token',
    query,
    variables: `{"${name}":${value}}`,
    refused: false,
  }));

/** The request body as JSON text: `{"query":...,"variables":...,"extensions":...}`. */
export function bodyText(operation: HostileOperation, extensions?: string): string {
  const fields = [`"query":${JSON.stringify(operation.query)}`];
  if (operation.variables !== undefined) fields.push(`"variables":${operation.variables}`);
  if (extensions !== undefined) fields.push(`"extensions":${extensions}`);
  return `{${fields.join(',')}}`;
}

const persistedQuery: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('1', '2', '"1"', 'null', '{}', '{"__proto__":1}'),
    fc.oneof(
      fc
        .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
        .map((h) => `"${h}"`),
      jsonText,
    ),
  )
  .map(([version, hash]) => `{"version":${version},"sha256Hash":${hash}}`);

/** Extensions: persisted-query hashes that match nothing, odd shapes, `__proto__` keys. */
export const hostileExtensions: fc.Arbitrary<string> = fc.oneof(
  persistedQuery.map((pq) => `{"persistedQuery":${pq}}`),
  persistedQuery.map((pq) => `{"__proto__":{"persistedQuery":${pq}}}`),
  jsonText,
);

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
  [0xe2, 0x82],
];

export interface HostileBody {
  kind: string;
  bytes: Buffer;
  /** True when the generator knows the gateway must refuse it; false when it cannot tell. */
  refused: boolean;
}

const text = (kind: string, body: string, refused = false): HostileBody => ({
  kind,
  bytes: Buffer.from(body, 'utf8'),
  refused,
});

/**
 * Whole bodies: an operation's own, then bent: invalid UTF-8 spliced in, batched in an array,
 * cut short, `__proto__` keys at the top, a persisted-query extension, padded past
 * MAX_BODY_BYTES, or not an object at all.
 */
export function hostileBody(operations: fc.Arbitrary<HostileOperation>): fc.Arbitrary<HostileBody> {
  const plain = operations.map((op) => text(op.kind, bodyText(op), op.refused));
  return fc.oneof(
    { arbitrary: plain, weight: 6 },
    fc.tuple(plain, fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([body, at, bytes]) => {
      const cut = at % (body.bytes.length + 1);
      const spliced = [body.bytes.subarray(0, cut), Buffer.from(bytes), body.bytes.subarray(cut)];
      return {
        kind: `${body.kind}, invalid UTF-8`,
        bytes: Buffer.concat(spliced),
        refused: body.refused,
      };
    }),
    fc
      .array(operations, { maxLength: 20 })
      .map((ops) => text('batch', `[${ops.map((op) => bodyText(op)).join(',')}]`, true)),
    fc.tuple(plain, fc.nat()).map(([body, at]) => ({
      kind: `${body.kind}, cut short`,
      bytes: body.bytes.subarray(0, at % Math.max(body.bytes.length, 1)),
      refused: body.refused,
    })),
    fc
      .tuple(operations, jsonText)
      .map(([op, value]) =>
        text(
          `${op.kind}, __proto__ at the top`,
          `{"__proto__":${value},${bodyText(op).slice(1)}`,
          op.refused,
        ),
      ),
    fc
      .tuple(operations, hostileExtensions)
      .map(([op, extensions]) =>
        text(`${op.kind}, odd extensions`, bodyText(op, extensions), op.refused),
      ),
    fc
      .tuple(hostileExtensions)
      .map(([extensions]) => text('extensions alone', `{"extensions":${extensions}}`, true)),
    fc
      .constantFrom(
        '',
        'null',
        '1',
        '"query"',
        'true',
        '[]',
        '{}',
        '{"query":null}',
        '{"query":{}}',
      )
      .map((body) => text('not an operation', body, true)),
    fc.integer({ min: LIMITS.bodyBytes + 1, max: LIMITS.bodyBytes * 2 }).map((size) => {
      const op = SEEDS[0] as { query: string; variables: string };
      const body = bodyText({ kind: '', query: op.query, variables: op.variables, refused: false });
      return text('over MAX_BODY_BYTES', body + ' '.repeat(size - body.length), true);
    }),
  );
}
