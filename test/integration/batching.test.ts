import { referenceInteraction, variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';

const GUIDS = [
  '00000000-0000-4000-8000-000000000001',
  '00000000-0000-4000-8000-000000000002',
  '00000000-0000-4000-8000-000000000003',
  '00000000-0000-4000-8000-000000000004',
];
const MISSING = '00000000-0000-4000-8000-0000000000ff';
const [A, B, C, D] = GUIDS as [string, string, string, string];

describe('batching and de-duplication', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      [TOKEN]: [
        referenceInteraction(),
        ...GUIDS.map((guid, i) => variant(guid, { serviceName: `S${i}` })),
      ],
    });
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());

  it('fetches each distinct guid once: 10 aliases over 4 guids make 4 upstream calls', async () => {
    const picks = [A, B, A, C, D, B, A, D, C, A];
    const query = `{ ${picks.map((g, i) => `a${i}: interaction(guid: "${g}") { guid serviceName }`).join(' ')} }`;
    const data = await harness.data(query);
    picks.forEach((guid, i) =>
      expect(data[`a${i}`]).toEqual({ guid, serviceName: `S${GUIDS.indexOf(guid)}` }),
    );
    expect(harness.upstreamCalls()).toBe(4);
    expect(new Set(harness.api.requests.map((r) => r.path)).size).toBe(4);
  });

  it('shares the loader between interactionsByGuid and aliases in one operation', async () => {
    const data = await harness.data(
      `{ one: interaction(guid: "${A}") { guid } many: interactionsByGuid(guids: ["${A}", "${B}", "${A}"]) { guid } }`,
    );
    expect(data.many).toEqual([{ guid: A }, { guid: B }, { guid: A }]);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('fetches again in the next operation: nothing is cached across operations', async () => {
    await harness.data(`{ interaction(guid: "${A}") { guid } }`);
    await harness.data(`{ interaction(guid: "${A}") { guid } }`);
    expect(harness.upstreamCalls()).toBe(2);
  });

  it('keeps input order, gives null for not found, and confines a failure to its own entry', async () => {
    harness.api.inject(C, { kind: 'status', status: 500 }, 1);
    const response = await harness.query(
      'query($g: [ID!]!) { interactionsByGuid(guids: $g) { guid serviceName } }',
      { g: [D, MISSING, C, A] },
    );
    expect(response.body.data).toEqual({
      interactionsByGuid: [
        { guid: D, serviceName: 'S3' },
        null,
        null,
        { guid: A, serviceName: 'S0' },
      ],
    });
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: ['interactionsByGuid', 2],
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      }),
    ]);
  });

  it('answers an empty list with an empty list and no upstream call', async () => {
    expect(await harness.data('{ interactionsByGuid(guids: []) { guid } }')).toEqual({
      interactionsByGuid: [],
    });
    expect(harness.upstreamCalls()).toBe(0);
  });
});
