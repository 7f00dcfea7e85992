import { generateInteractions } from '../../src/demo/demoData.js';
import { referenceInteraction, SAMPLE_GUID, withEvents } from '../support/fixture.js';
import {
  AUTH,
  startHarness,
  TOKEN,
  type GraphQLResponse,
  type Harness,
} from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';
import { waitFor } from '../support/wait.js';

// MAX_RESULT_ITEMS: how many interactions, channels and events one operation's answer may
// hold. Data decides that, not the document (one interaction may hold 42 events or 10,000), so
// the count is taken as the lists are resolved; once over, the operation is refused whole,
// before the rest of its answer is built.

const BIG_GUID = '00000000-0000-4000-8900-000000000001';
const BIG_EVENTS = 10_000;

/** A POST whose answer is also measured: its size in bytes and how long it took. */
async function measured(
  harness: Harness,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse & { bytes: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as GraphQLResponse['body'],
    bytes: Buffer.byteLength(text),
    ms: performance.now() - started,
  };
}

/** Asserts the refusal: no data, one RESULT_TOO_LARGE error that names the limit and its value. */
function expectTooLarge(response: GraphQLResponse, max: number) {
  expect(response.status).toBe(200);
  expect(response.body.data).toBeNull();
  expect(response.body.errors).toEqual([
    {
      message: expect.stringContaining(`MAX_RESULT_ITEMS=${max}`),
      extensions: { code: 'RESULT_TOO_LARGE', limit: 'MAX_RESULT_ITEMS', max },
    },
  ]);
  // It tells the caller how to ask for less.
  expect(response.body.errors?.[0]?.message).toMatch(/events\(types:.*guids.*limit/s);
  expect(response.headers.get('cache-control')).toBe('no-store');
}

const EVENTS = 'channels { events { type name offset duration } }';

describe('MAX_RESULT_ITEMS at its default', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [referenceInteraction(), withEvents(BIG_GUID, BIG_EVENTS)],
    });
  });
  afterAll(() => harness.stop());
  beforeEach(() => {
    harness.api.requests.splice(0);
    harness.logs.splice(0);
  });

  // Was a 59 MB answer of 1,000,000 events, built and sent.
  it('refuses interactionsByGuid of 100 × a 10,000-event interaction, in a small answer', async () => {
    const response = await measured(
      harness,
      `query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid ${EVENTS} } }`,
      { g: Array.from({ length: 100 }, () => BIG_GUID) },
    );
    expectTooLarge(response, 20_000);
    expect(response.bytes).toBeLessThan(1024);
    expect(response.ms).toBeLessThan(5000);
    expect(harness.upstreamCalls()).toBe(1);
    // One error logged, not one per entry that came after the limit.
    await waitFor(() => harness.logLines().some((line) => line.msg === 'operation'));
    expect(harness.logLines().filter((line) => line.code)).toEqual([
      expect.objectContaining({ code: 'RESULT_TOO_LARGE' }),
    ]);
    expect(harness.logLines()).toContainEqual(
      expect.objectContaining({ msg: 'operation', errorCodes: ['RESULT_TOO_LARGE'] }),
    );
  });

  // A document runs interpreted the first time and compiled (graphql-jit) from the second.
  it('refuses the same interaction under 30 aliases, interpreted and compiled', async () => {
    const aliases = Array.from(
      { length: 30 },
      (_, i) => `a${i}: interaction(guid: "${BIG_GUID}") { ${EVENTS} }`,
    );
    for (let run = 0; run < 2; run++) {
      const response = await measured(harness, `{ ${aliases.join(' ')} }`);
      expectTooLarge(response, 20_000);
      expect(response.bytes).toBeLessThan(1024);
    }
  });

  // Event.channel leads back to the channel's events: four levels of the 42-event reference
  // interaction was a 32 MB answer of 389,000 events.
  it('refuses events nested through their channel', async () => {
    const response = await measured(
      harness,
      `{ interaction(guid: "${SAMPLE_GUID}") {
        events { channel { events { channel { events { channel { events { type } } } } } } }
      } }`,
    );
    expectTooLarge(response, 20_000);
    expect(response.bytes).toBeLessThan(1024);
  });

  it('still answers the 10,000-event interaction in full, and keeps answering after a refusal', async () => {
    const data = await harness.data(`{ interaction(guid: "${BIG_GUID}") { ${EVENTS} } }`);
    const { channels } = data.interaction as { channels: { events: unknown[] }[] };
    expect(channels.reduce((sum, channel) => sum + channel.events.length, 0)).toBe(BIG_EVENTS);
  });

  it('allows the full interaction query', async () => {
    const data = await harness.data(INTERACTION, { guid: SAMPLE_GUID });
    expect(data.interaction).toMatchObject({ guid: SAMPLE_GUID });
  });
});

describe('MAX_RESULT_ITEMS set low', () => {
  // The full interaction query on the reference sample holds 1 interaction, 2 channels and 42
  // events: 45 items.
  const FULL_COST = 45;
  const now = new Date();
  const listed = generateInteractions(30, now);
  const start = new Date(now.getTime() - 86_400_000).toISOString();
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(
      { [TOKEN]: [referenceInteraction(), ...listed] },
      { env: { MAX_RESULT_ITEMS: String(FULL_COST) } },
    );
  });
  afterAll(() => harness.stop());

  it('answers an operation of exactly the limit, and refuses one item more', async () => {
    expect(await harness.data(INTERACTION, { guid: SAMPLE_GUID })).toHaveProperty(
      'interaction.guid',
      SAMPLE_GUID,
    );
    const response = await harness.query(
      `query One($guid: ID!) {
        interaction(guid: $guid) { ...FullInteraction events(types: ["Wrap"]) { type } }
      }
      ${INTERACTION.slice(INTERACTION.indexOf('fragment'))}`,
      { guid: SAMPLE_GUID },
    );
    expectTooLarge(response, FULL_COST);
  });

  it('counts only the events that events(types:) lets through', async () => {
    const data = await harness.data(`{ interaction(guid: "${SAMPLE_GUID}") {
      a: events(types: ["Connected"]) { type } b: events(types: ["Connected"]) { type }
      channels { events(types: ["Ringing", "Wrap"]) { type } }
    } }`);
    expect(data.interaction).toMatchObject({ a: [{}, {}], b: [{}, {}] });
  });

  it('counts page items and their channels', async () => {
    const page = `interactions(start: "${start}", limit: 30)`;
    const data = await harness.data(`{ ${page} { items { guid } } }`);
    expect((data.interactions as { items: unknown[] }).items).toHaveLength(30);
    expectTooLarge(
      await harness.query(`{ ${page} { items { guid channels { guid } } } }`),
      FULL_COST,
    );
  });
});
