import { createHash } from 'node:crypto';
import {
  ApolloClient,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  type ApolloLink,
} from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import {
  InteractionTimelineDocument,
  MobileSummaryDocument,
} from '../../examples/client/graphql.js';
import type { ChannelDto, EventDto } from '../../src/upstream/types.js';
import { referenceInteraction, SAMPLE_GUID } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

// The gateway as a real client uses it: Apollo Client with the typed documents from examples/,
// over real sockets. Requests are recorded by wrapping the `fetch` Apollo Client calls, so the
// assertions are about what the client put on the wire and what came back; nothing is mocked.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const AUTHORIZATION = `Bearer ${TOKEN}`;

/** One request as the gateway received it, in protocol terms. */
interface SentRequest {
  method: string;
  status: number;
  headers: Record<string, string>;
  /** The query text, when the request carried one. */
  query?: string;
  /** The APQ hash, when the request carried one. */
  hash?: string;
  variables?: unknown;
  answer: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * A `fetch` for HttpLink that records every request and its answer. `dropContentTypeOnGet`
 * stands for an HTTP stack or proxy that drops `content-type` from body-less requests, which
 * Apollo Client itself does not do (see the CSRF tests).
 */
function recorder({ dropContentTypeOnGet = false } = {}) {
  const sent: SentRequest[] = [];
  const recordingFetch: typeof fetch = async (input, init = {}) => {
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    if (dropContentTypeOnGet && method === 'GET') headers.delete('content-type');
    const url = new URL(input instanceof Request ? input.url : String(input));
    const fields =
      method === 'GET'
        ? {
            query: url.searchParams.get('query') ?? undefined,
            variables: JSON.parse(url.searchParams.get('variables') ?? 'null') as unknown,
            extensions: JSON.parse(url.searchParams.get('extensions') ?? '{}') as unknown,
          }
        : (JSON.parse(String(init.body)) as Record<string, unknown>);
    const extensions = fields.extensions as { persistedQuery?: { sha256Hash?: string } };

    const response = await fetch(url, { ...init, headers });
    sent.push({
      method,
      status: response.status,
      headers: Object.fromEntries(headers),
      query: fields.query as string | undefined,
      hash: extensions?.persistedQuery?.sha256Hash,
      variables: fields.variables,
      answer: (await response.clone().json()) as SentRequest['answer'],
    });
    return response;
  };
  return { sent, fetch: recordingFetch };
}

/** A fresh client, as on a newly started phone: no cache shared, no hashes remembered. */
function clientWith(link: ApolloLink) {
  return new ApolloClient({ cache: new InMemoryCache(), link });
}

/** The APQ link sending hashed queries over GET, in front of an HttpLink to the gateway. */
function persistedQueryClient(harness: Harness, http: ConstructorParameters<typeof HttpLink>[0]) {
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
  return clientWith(persisted.concat(new HttpLink({ uri: harness.gateway.url, ...http })));
}

// What the stand-in's data implies for the example documents. Apollo Client's cache adds
// `__typename` to every selection set, so the client asks for it and gets it back.
const sample = referenceInteraction();
const agentChannels = sample.channels.filter((c) => c.party?.role === 'Agent');
const eventsOf = (type: string, channels: ChannelDto[] = sample.channels) =>
  channels.flatMap((c) => c.events).filter((e) => e.type === type);
const totalDuration = (events: EventDto[]) => events.reduce((t, e) => t + (e.duration ?? 0), 0);
const answered = eventsOf('Connected', agentChannels);
const timeToAnswer = Math.min(...answered.map((e) => e.offset ?? Infinity));
const at = (ms: number) => new Date(Date.parse(sample.start ?? '') + ms).toISOString();

const MOBILE_SUMMARY = {
  interaction: {
    __typename: 'Interaction',
    guid: SAMPLE_GUID,
    status: sample.status,
    direction: sample.direction,
    start: sample.start,
    duration: sample.duration,
    serviceName: sample.serviceName,
    outcome: sample.outcome ?? null,
    metrics: {
      __typename: 'InteractionMetrics',
      timeToAnswer,
      talkTime: totalDuration(answered),
    },
  },
};

// InteractionTimeline's default `$types`.
const TIMELINE_TYPES = ['Ringing', 'Connected', 'Queue', 'Wrap'];
const TIMELINE = {
  interaction: {
    __typename: 'Interaction',
    guid: SAMPLE_GUID,
    status: sample.status,
    direction: sample.direction,
    serviceName: sample.serviceName,
    start: sample.start,
    end: at(sample.duration ?? 0),
    duration: sample.duration,
    metrics: {
      __typename: 'InteractionMetrics',
      queueTime: totalDuration(eventsOf('Queue')),
      ringTime: totalDuration(eventsOf('Ringing', agentChannels)),
      talkTime: totalDuration(answered),
      wrapTime: totalDuration(eventsOf('Wrap')),
      timeToAnswer,
      agentCount: new Set(agentChannels.map((c) => c.party?.id)).size,
      recorded: eventsOf('CallRecording').length > 0,
    },
    // Every channel's events of those types in one list, in wall-clock order.
    events: sample.channels
      .flatMap((channel) => channel.events.map((event) => ({ event, channel })))
      .filter(({ event }) => TIMELINE_TYPES.includes(event.type))
      .sort((a, b) => (a.event.offset ?? 0) - (b.event.offset ?? 0))
      .map(({ event, channel }) => ({
        __typename: `${event.type}Event`,
        type: event.type,
        name: event.name ?? null,
        at: at(event.offset ?? 0),
        end: event.duration == null ? null : at((event.offset ?? 0) + event.duration),
        duration: event.duration,
        channel: {
          __typename: 'Channel',
          party: { __typename: 'Party', role: channel.party?.role, id: channel.party?.id ?? null },
        },
      })),
  },
};

const accounts = { [TOKEN]: [sample] };

describe('Apollo Client with automatic persisted queries over GET', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(accounts);
  });
  afterAll(() => harness.stop());

  it('sends the hash over GET, registers the text by POST on PERSISTED_QUERY_NOT_FOUND, then a new client gets the answer from the hash alone', async () => {
    const headers = { authorization: AUTHORIZATION, 'apollo-require-preflight': 'true' };
    const phone = recorder();
    const first = await persistedQueryClient(harness, { headers, fetch: phone.fetch }).query({
      query: MobileSummaryDocument,
      variables: { guid: SAMPLE_GUID },
      fetchPolicy: 'no-cache',
    });
    expect(first.data).toEqual(MOBILE_SUMMARY);

    const [miss, registration] = phone.sent;
    expect(phone.sent).toHaveLength(2);
    // The link's retry carries the text in a POST body, not in a GET URL (apollo-client #7456).
    expect(registration).toMatchObject({ method: 'POST', status: 200 });
    expect(registration?.query).toMatch(/^query MobileSummary\(/);
    const hash = sha256(registration?.query ?? '');
    expect(registration?.hash).toBe(hash);
    expect(miss).toMatchObject({
      method: 'GET',
      status: 200,
      query: undefined,
      hash,
      variables: { guid: SAMPLE_GUID },
      answer: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    });
    expect(miss?.headers).toMatchObject(headers);
    // The miss was answered without calling upstream; the registration ran the operation.
    expect(harness.upstreamCalls()).toBe(1);

    const other = recorder();
    const second = await persistedQueryClient(harness, { headers, fetch: other.fetch }).query({
      query: MobileSummaryDocument,
      variables: { guid: SAMPLE_GUID },
      fetchPolicy: 'no-cache',
    });
    expect(second.data).toEqual(MOBILE_SUMMARY);
    expect(other.sent).toEqual([
      expect.objectContaining({ method: 'GET', status: 200, query: undefined, hash }),
    ]);
    expect(other.sent[0]?.headers).toMatchObject(headers);
    expect(harness.api.requests.map((r) => r.headers.authorization)).toEqual([
      AUTHORIZATION,
      AUTHORIZATION,
    ]);
  });
});

describe('Apollo Client as a mobile app posting JSON (no persisted queries)', () => {
  let harness: Harness;
  let sent: SentRequest[];
  let client: ApolloClient;
  beforeAll(async () => {
    harness = await startHarness(accounts);
    const wire = recorder();
    sent = wire.sent;
    client = clientWith(
      new HttpLink({
        uri: harness.gateway.url,
        headers: { authorization: AUTHORIZATION, 'apollo-require-preflight': 'true' },
        fetch: wire.fetch,
      }),
    );
  });
  afterAll(() => harness.stop());

  it("gets the interaction's timeline, every channel's events in wall-clock order", async () => {
    const result = await client.query({
      query: InteractionTimelineDocument,
      variables: { guid: SAMPLE_GUID },
      fetchPolicy: 'no-cache',
    });
    expect(result.data).toEqual(TIMELINE);
    expect(sent.at(-1)).toMatchObject({
      method: 'POST',
      status: 200,
      headers: {
        'content-type': 'application/json',
        authorization: AUTHORIZATION,
        'apollo-require-preflight': 'true',
      },
      hash: undefined,
    });
    expect(sent.at(-1)?.query).toMatch(/^query InteractionTimeline\(/);
    expect(harness.api.requests.at(-1)?.headers.authorization).toBe(AUTHORIZATION);
  });

  it('surfaces a bad guid as CombinedGraphQLErrors with BAD_USER_INPUT, before any upstream call', async () => {
    const upstreamBefore = harness.upstreamCalls();
    const result = await client.query({
      query: InteractionTimelineDocument,
      variables: { guid: 'not-a-guid' },
      fetchPolicy: 'no-cache',
      errorPolicy: 'all',
    });
    expect(result.data).toEqual({ interaction: null });
    expect(CombinedGraphQLErrors.is(result.error)).toBe(true);
    expect((result.error as CombinedGraphQLErrors).errors).toEqual([
      expect.objectContaining({
        path: ['interaction'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'guid' },
      }),
    ]);

    // With the default errorPolicy the same error rejects the query.
    await expect(
      client.query({
        query: InteractionTimelineDocument,
        variables: { guid: 'not-a-guid' },
        fetchPolicy: 'no-cache',
      }),
    ).rejects.toBeInstanceOf(CombinedGraphQLErrors);
    expect(harness.upstreamCalls()).toBe(upstreamBefore);
  });
});

// Apollo's CSRF prevention lets a request run if it has a `content-type` a plain HTML form cannot
// send, or a non-empty `apollo-require-preflight`. Apollo Client sends `content-type:
// application/json` even on a body-less GET, so by itself it passes; the header is what keeps a
// GET working where that `content-type` is dropped on the way.
//
// A gateway for each test: the hash one registers would spare the next its registration.
describe('Apollo Client GETs and CSRF prevention', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness(accounts);
  });
  afterEach(() => harness.stop());

  const run = (client: ApolloClient) =>
    client.query({
      query: MobileSummaryDocument,
      variables: { guid: SAMPLE_GUID },
      fetchPolicy: 'no-cache',
    });

  it('refuses a GET with neither a JSON content-type nor apollo-require-preflight with 400, before it runs', async () => {
    const wire = recorder({ dropContentTypeOnGet: true });
    const client = persistedQueryClient(harness, {
      headers: { authorization: AUTHORIZATION },
      fetch: wire.fetch,
    });

    const refused = run(client);
    await expect(refused).rejects.toBeInstanceOf(CombinedGraphQLErrors);
    await expect(refused).rejects.toMatchObject({
      errors: [
        {
          message: expect.stringMatching(/Cross-Site Request Forgery/),
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    // Refused outright: not retried as a registration, and upstream never called.
    expect(wire.sent).toEqual([expect.objectContaining({ method: 'GET', status: 400 })]);
    expect(wire.sent[0]?.headers).not.toHaveProperty('content-type');
    expect(harness.upstreamCalls()).toBe(0);
  });

  it('runs the same GET once the client sends apollo-require-preflight', async () => {
    const wire = recorder({ dropContentTypeOnGet: true });
    const client = persistedQueryClient(harness, {
      headers: { authorization: AUTHORIZATION, 'apollo-require-preflight': 'true' },
      fetch: wire.fetch,
    });
    expect((await run(client)).data).toEqual(MOBILE_SUMMARY);
    expect(wire.sent.map(({ method, status }) => ({ method, status }))).toEqual([
      { method: 'GET', status: 200 },
      { method: 'POST', status: 200 },
    ]);
    expect(wire.sent[0]?.headers).not.toHaveProperty('content-type');
  });

  it("lets Apollo Client's own GET through without the header, on its content-type: application/json", async () => {
    const wire = recorder();
    const client = persistedQueryClient(harness, {
      headers: { authorization: AUTHORIZATION },
      fetch: wire.fetch,
    });
    expect((await run(client)).data).toEqual(MOBILE_SUMMARY);
    expect(wire.sent[0]).toMatchObject({ method: 'GET', status: 200 });
    expect(wire.sent[0]?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(wire.sent[0]?.headers).not.toHaveProperty('apollo-require-preflight');
  });
});
