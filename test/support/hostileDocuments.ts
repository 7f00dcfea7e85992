import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Lexer, Source, TokenKind } from 'graphql';
import { SAMPLE_GUID } from './fixture.js';

// GraphQL documents and variables a hostile or broken client might send, for the fuzz tests
// (test/integration/fuzz.test.ts). Each carries `refused` when its generator knows, by
// construction, that the gateway must refuse it before any Stats API call (over a limit, a bad
// guid); hostileOracle.ts adds what graphql-js itself can tell (a parse, validation or variable
// error). Variables are JSON text, not objects, so that they can hold what JSON.stringify cannot
// write: `__proto__` as an own key, nesting deeper than the stack.

export interface HostileOperation {
  kind: string;
  query: string;
  /** JSON text, or undefined for none. */
  variables?: string;
  refused: boolean;
}

/** The gateway's defaults (config.ts) that the generators build past. */
export const LIMITS = { depth: 12, aliases: 30, guids: 100, bodyBytes: 256 * 1024 };

/** The guid check's contract (resolvers/arguments.ts): 8-4-4-4-12 hexadecimal digits. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXAMPLES = new URL('../../examples/', import.meta.url);
const WINDOW = JSON.stringify({ start: '2020-01-01T00:00:00Z', end: '2020-01-02T00:00:00Z' });

/** The example operations as the docs show them, with variables that make them run. */
export const SEEDS: readonly { query: string; variables: string }[] = [
  ...readdirSync(EXAMPLES)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => ({
      query: readFileSync(new URL(name, EXAMPLES), 'utf8'),
      variables: name === 'day-list.graphql' ? WINDOW : JSON.stringify({ guid: SAMPLE_GUID }),
    })),
  {
    query: `{ interactionsByGuid(guids: ["${SAMPLE_GUID}"]) { guid events { type } } }`,
    variables: '{}',
  },
  { query: '{ __schema { types { name fields { name } } } }', variables: '{}' },
];

function tokensOf(text: string): string[] {
  const lexer = new Lexer(new Source(text));
  const tokens: string[] = [];
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    tokens.push(text.slice(token.start, token.end));
  }
  return tokens;
}

const SEED_TOKENS = SEEDS.map((seed) => tokensOf(seed.query));
const POOL = [
  ...new Set([
    ...SEED_TOKENS.flat(),
    ...['{', '}', '(', ')', '[', ']', '...', '@skip(if: true)', '@include(if: $x)', '$x', ':'],
    ...['query', 'mutation', 'subscription', 'fragment', 'on', '__schema', '__type', 'null'],
    ...['"\\uD800"', '"""\u0000"""', '1e309', '-0', '99999999999999999999', '\u00e9t\u00e9', '#'],
  ]),
];

type Mutation = { op: 'drop' | 'duplicate' | 'swap' | 'replace' | 'insert'; i: number; j: number };

function mutate(tokens: string[], { op, i, j }: Mutation): string[] {
  const out = [...tokens];
  const at = i % Math.max(out.length, 1);
  const other = j % Math.max(out.length, 1);
  const pooled = POOL[j % POOL.length] as string;
  if (op === 'drop') out.splice(at, 1);
  else if (op === 'duplicate') out.splice(at, 0, out[at] ?? '');
  else if (op === 'swap') [out[at], out[other]] = [out[other] ?? '', out[at] ?? ''];
  else if (op === 'replace') out[at] = pooled;
  else out.splice(at, 0, pooled);
  return out;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('drop', 'duplicate', 'swap', 'replace', 'insert'),
  i: fc.nat(),
  j: fc.nat(),
});

/** An example with a few tokens dropped, duplicated, swapped or replaced. */
export const mutatedDocument: fc.Arbitrary<HostileOperation> = fc
  .tuple(fc.nat(SEEDS.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([seed, mutations]) => ({
    kind: 'mutated document',
    query: mutations.reduce(mutate, SEED_TOKENS[seed] as string[]).join(' '),
    variables: SEEDS[seed]?.variables,
    refused: false,
  }));

/**
 * Strings a caller may put anywhere: long, odd unicode, lone surrogates, quotes, NULs, and the
 * caller's own token pasted in (`{token}`, filled in by hostileAnswers.ts).
 */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\uD800', '\uDFFF\uD800', '\u0000', '"', '\\', '\u202E', '\u{1F600}', '..'),
  fc.constantFrom('{token}', 'Bearer {token}', 'x{token}x'),
  fc
    .tuple(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 40_000 }),
    )
    .map(([unit, times]) => unit.repeat(times)),
);

/** Guids that are not 8-4-4-4-12 hex: look-alike digits, path tricks, oversized ones. */
export const hostileGuid: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .tuple(
        fc.nat(SAMPLE_GUID.length - 1),
        fc.constantFrom(
          '\u0663',
          '\uff41',
          '\u200b',
          'g',
          '/',
          '%2F',
          '../',
          '?a=1',
          '#',
          ' ',
          '\n',
        ),
      )
      .map(([at, odd]) => SAMPLE_GUID.slice(0, at) + odd + SAMPLE_GUID.slice(at + 1)),
    fc.constantFrom(
      '../../ongoing',
      `${SAMPLE_GUID}/..`,
      `${SAMPLE_GUID}\n`,
      '',
      SAMPLE_GUID.repeat(3),
    ),
    hostileString,
  )
  .filter((guid) => !GUID.test(guid));

/** One operation on hostile guids, inline or as variables: refused whatever they are. */
export const hostileGuidOperation: fc.Arbitrary<HostileOperation> = fc.oneof(
  fc.tuple(hostileGuid, fc.boolean()).map(([guid, inline]) => ({
    kind: 'hostile guid',
    query: inline
      ? `{ interaction(guid: ${JSON.stringify(guid)}) { guid } }`
      : 'query($g: ID!) { interaction(guid: $g) { guid status } }',
    variables: inline ? undefined : JSON.stringify({ g: guid }),
    refused: true,
  })),
  fc
    .tuple(fc.array(fc.constant<string>(SAMPLE_GUID), { maxLength: 120 }), hostileGuid, fc.nat())
    .map(([good, bad, at]) => {
      const guids = [...good];
      guids.splice(at % (guids.length + 1), 0, bad);
      return {
        kind: 'hostile guid in a list',
        query: 'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
        variables: JSON.stringify({ g: guids }),
        refused: true,
      };
    }),
  fc.integer({ min: LIMITS.guids + 1, max: 2000 }).map((count) => ({
    kind: 'over MAX_GUIDS',
    query: 'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid } }',
    variables: JSON.stringify({ g: Array.from({ length: count }, () => SAMPLE_GUID) }),
    refused: true,
  })),
);

// interaction { channels { events { channel { events ... } } } }: `levels` fields deep.
function nested(levels: number): string {
  const names = ['interaction', 'channels'];
  while (names.length < levels) names.push(names.length % 2 === 0 ? 'events' : 'channel');
  const leaf = names.at(-1) === 'events' ? 'type' : 'guid';
  const opened = names.map((name, i) =>
    i === 0 ? `${name}(guid: "${SAMPLE_GUID}") {` : `${name} {`,
  );
  return `{ ${opened.join(' ')} ${leaf} ${'}'.repeat(names.length)} }`;
}

/** Deep selections, deep argument lists, unbalanced braces and fragment cycles. */
export const deepDocument: fc.Arbitrary<HostileOperation> = fc.oneof(
  fc.integer({ min: LIMITS.depth + 2, max: 1500 }).map((levels) => ({
    kind: 'over MAX_QUERY_DEPTH',
    query: nested(levels),
    refused: true,
  })),
  fc.integer({ min: 1, max: 20_000 }).map((levels) => ({
    kind: 'deep list argument',
    query: `{ interactionsByGuid(guids: ${'['.repeat(levels)}"${SAMPLE_GUID}"${']'.repeat(levels)}) { guid } }`,
    refused: levels > 1,
  })),
  fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([levels, balanced]) => ({
    kind: 'deep unknown fields',
    query: '{ a '.repeat(levels) + (balanced ? '}'.repeat(levels) : ''),
    refused: true,
  })),
  fc.integer({ min: 1, max: 300 }).map((count) => ({
    kind: 'fragment cycle',
    query:
      '{ ...F0 } ' +
      Array.from(
        { length: count },
        (_, i) => `fragment F${i} on Query { ...F${(i + 1) % count} }`,
      ).join(' '),
    refused: true,
  })),
);

/** Aliases past MAX_ALIASES, on a field that would call the Stats API. */
export const manyAliases: fc.Arbitrary<HostileOperation> = fc
  .integer({ min: LIMITS.aliases + 1, max: 3000 })
  .map((count) => ({
    kind: 'over MAX_ALIASES',
    query: `{ ${Array.from({ length: count }, (_, i) => `a${i}: interaction(guid: "${SAMPLE_GUID}") { guid }`).join(' ')} }`,
    refused: true,
  }));

/** A huge or odd string where a guid goes, or as a comment beside a valid operation. */
export const hugeStrings: fc.Arbitrary<HostileOperation> = fc
  .tuple(hostileString, fc.boolean())
  .map(([text, asGuid]) => {
    if (asGuid) {
      return {
        kind: 'huge guid',
        query: `{ interaction(guid: ${JSON.stringify(text)}) { guid } }`,
        refused: !GUID.test(text),
      };
    }
    return {
      kind: 'huge comment',
      query: `{ __typename } # ${text.replace(/[\r\n]/g, ' ')}`,
      refused: false,
    };
  });
