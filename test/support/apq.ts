import { createHash } from 'node:crypto';
import { referenceInteraction, SAMPLE_GUID } from './fixture.js';
import { AUTH, TOKEN, type Harness } from './harness.js';
import { sleep, within } from './wait.js';

// Automatic persisted queries as a client uses them: a query's SHA-256 instead of its text, and
// the text once when the gateway does not know the hash yet.

/** A query as a persisted-query client sends it: its text, and its hash in `extensions`. */
export function persisted(name: string) {
  const query = `query ${name}($guid: ID!) { interaction(guid: $guid) { guid status duration } }`;
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  return { query, extensions: { persistedQuery: { version: 1, sha256Hash } } };
}
export type Persisted = ReturnType<typeof persisted>;

const BRIEF = persisted('Brief');

/** What each persisted query answers for SAMPLE_GUID. */
export const EXPECTED = {
  data: {
    interaction: {
      guid: SAMPLE_GUID,
      status: referenceInteraction().status,
      duration: referenceInteraction().duration,
    },
  },
};

/** The stand-in's data for these tests. */
export const accounts = { [TOKEN]: [referenceInteraction()] };

/** A hashed query over GET, with the header Apollo's CSRF prevention asks of GETs. */
export async function getByHash(harness: Harness, { extensions }: Persisted = BRIEF) {
  const url = new URL(harness.gateway.url);
  url.searchParams.set('extensions', JSON.stringify(extensions));
  url.searchParams.set('variables', JSON.stringify({ guid: SAMPLE_GUID }));
  const response = await fetch(url, { headers: { ...AUTH, 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Registers the query: its text and its hash, as a client does after PERSISTED_QUERY_NOT_FOUND. */
export async function register(harness: Harness, { query, extensions }: Persisted = BRIEF) {
  const response = await fetch(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ query, variables: { guid: SAMPLE_GUID }, extensions }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** What a lookup of a hash the gateway does not know answers. */
export const notFound = {
  errors: [
    expect.objectContaining({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    }),
  ],
};

/** stats_gateway_persisted_queries_total for one result, from /metrics (0 when absent). */
export async function persistedCount(harness: Harness, result: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', harness.gateway.url))).text();
  const pattern = new RegExp(
    `^stats_gateway_persisted_queries_total\\{result="${result}"\\} (\\d+)$`,
    'm',
  );
  return Number(pattern.exec(text)?.[1] ?? 0);
}

/** A lookup of the registered hash, timed, failing after 5 s rather than hanging the suite. */
export async function timedLookup(harness: Harness) {
  const started = performance.now();
  const answer = await within(getByHash(harness), 5000, {
    status: 0,
    body: { hung: 'no answer within 5 s' },
  });
  return { ms: performance.now() - started, body: answer.body };
}

/** Milliseconds a few lookups took, middle value: one slow answer on a busy machine is noise. */
export async function medianLookupMs(harness: Harness): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { ms, body } = await timedLookup(harness);
    expect(body).toMatchObject(notFound);
    times.push(ms);
  }
  return times.sort((a, b) => a - b)[2] as number;
}

/** Registers and looks the hash up until it hits, as clients do after each miss. */
export async function hitsAgain(harness: Harness, withinMs: number): Promise<unknown> {
  const until = Date.now() + withinMs;
  let answer = (await getByHash(harness)).body;
  while (answer.errors && Date.now() < until) {
    await register(harness);
    await sleep(50);
    answer = (await getByHash(harness)).body;
  }
  return answer;
}

/** How many more registrations /metrics counts as dropped after one more is sent. */
export async function droppedByRegistering(harness: Harness): Promise<number> {
  const before = await persistedCount(harness, 'dropped');
  expect(await register(harness)).toEqual(EXPECTED);
  // Apollo stores a registration after answering: the count moves a moment later.
  let after = before;
  for (let tries = 0; after === before && tries < 50; tries++) {
    await sleep(20);
    after = await persistedCount(harness, 'dropped');
  }
  return after - before;
}
