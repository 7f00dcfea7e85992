import { referenceInteraction, SAMPLE_GUID, variant } from '../support/fixture.js';
import { startHarness, TOKEN, type Harness } from '../support/harness.js';
import { INTERACTION } from '../support/queries.js';
import type { EventDto, InteractionDto } from '../../src/upstream/types.js';

const sample = referenceInteraction();

// What the schema should serve for one upstream event: its raw fields plus the kind-specific
// fields, read from `properties`. Derived from the fixture, never typed in by hand.
const KIND_FIELDS: Record<string, [string, string[]]> = {
  Ringing: ['RingingEvent', []],
  Connected: ['ConnectedEvent', []],
  InteractionPlan: ['InteractionPlanEvent', ['reportingGroup']],
  Applet: ['AppletEvent', ['appletType']],
  Queue: ['QueueEvent', ['interactionPlan', 'interactionPlanName', 'presentedSkills', 'result']],
  CallRecording: ['CallRecordingEvent', []],
  Wrap: ['WrapEvent', []],
  Disposition: ['DispositionEvent', ['disposition']],
  CallRating: ['CallRatingEvent', ['classification']],
};

function expectedEvent(event: EventDto): Record<string, unknown> {
  const [typename, fields] = KIND_FIELDS[event.type] ?? ['UnknownEvent', []];
  const properties = (event.properties ?? {}) as Record<string, unknown>;
  return {
    __typename: typename,
    ...event,
    ...Object.fromEntries(fields.map((field) => [field, properties[field] ?? null])),
  };
}

describe('interaction(guid)', () => {
  let harness: Harness;
  const unknownKind = variant('11111111-2222-4333-8444-555555555555', {
    channels: [
      {
        ...sample.channels[0],
        events: [
          {
            type: 'Hold',
            offset: 10,
            name: 'Music',
            duration: 5000,
            properties: { reason: 'Consult', nested: { a: [1] } },
          },
          { type: 'Queue', offset: 20, name: null, duration: null, properties: null },
          {
            type: 'Applet',
            offset: 30,
            name: 'x',
            duration: 0,
            properties: { appletType: ['not', 'a', 'string'] },
          },
        ],
      },
    ],
  });
  // Upstream may omit anything but the guid; the stand-in serves the object as it is.
  const sparse = { guid: '22222222-2222-4333-8444-555555555555' } as InteractionDto;

  beforeAll(async () => {
    harness = await startHarness({ [TOKEN]: [sample, unknownKind, sparse] });
  });
  afterAll(() => harness.stop());

  it('serves the reference sample field by field, every event with its concrete type', async () => {
    const data = await harness.data(INTERACTION, { guid: SAMPLE_GUID });
    const expected = {
      ...sample,
      outcome: null,
      channels: sample.channels.map((channel) => ({
        ...channel,
        events: channel.events.map(expectedEvent),
      })),
    };
    expect(data.interaction).toEqual(expected);
    const events = sample.channels.flatMap((c) => c.events);
    expect(events).toHaveLength(42);
    expect(new Set(events.map((e) => e.type)).size).toBe(9);
  });

  it('serves an unknown event kind as UnknownEvent with its raw type and properties', async () => {
    const data = await harness.data(INTERACTION, { guid: unknownKind.guid });
    const events = (data.interaction as { channels: { events: unknown[] }[] }).channels[0]?.events;
    expect(events?.[0]).toEqual({
      __typename: 'UnknownEvent',
      type: 'Hold',
      name: 'Music',
      offset: 10,
      duration: 5000,
      properties: { reason: 'Consult', nested: { a: [1] } },
    });
  });

  it('serves null properties and properties of an unexpected shape as null kind fields', async () => {
    const data = await harness.data(INTERACTION, { guid: unknownKind.guid });
    const events = (data.interaction as { channels: { events: Record<string, unknown>[] }[] })
      .channels[0]?.events;
    expect(events?.[1]).toMatchObject({
      __typename: 'QueueEvent',
      presentedSkills: null,
      result: null,
      duration: null,
    });
    expect(events?.[2]).toMatchObject({ __typename: 'AppletEvent', appletType: null });
  });

  it('serves an interaction with every optional field missing', async () => {
    const data = await harness.data(INTERACTION, { guid: sparse.guid });
    expect(data.interaction).toMatchObject({
      guid: sparse.guid,
      status: null,
      start: null,
      channels: [],
    });
  });

  it('returns null with no error when upstream answers 404', async () => {
    const response = await harness.query(INTERACTION, {
      guid: '99999999-2222-4333-8444-555555555555',
    });
    expect(response.body).toEqual({ data: { interaction: null } });
  });

  // Compiled execution (src/graphql/compiledExecution.ts) serves the first from its second run
  // on; the second nests Events inside an Event's selection, which graphql-js always serves.
  // Every run must answer from the same data.
  it.each([
    ['compiled', '{ channels { events { type channel { guid } } } }'],
    ['interpreted', '{ channels { events { type channel { guid events { type } } } } }'],
  ])('serves events with their channel the same way when %s', async (_, selection) => {
    const query = `{ interaction(guid: "${SAMPLE_GUID}") ${selection} }`;
    const first = await harness.data(query);
    const data = await harness.data(query);
    expect(data).toEqual(first);
    const channels = (data.interaction as { channels: { events: Record<string, unknown>[] }[] })
      .channels;
    sample.channels.forEach((channel, c) => {
      const events = channels[c]?.events ?? [];
      expect(events.map((event) => event.type)).toEqual(channel.events.map((e) => e.type));
      for (const event of events) {
        const parent = event.channel as { guid: string; events?: { type: string }[] };
        expect(parent.guid).toBe(channel.guid);
        if (selection.includes('guid events')) {
          expect(parent.events?.map((e) => e.type)).toEqual(channel.events.map((e) => e.type));
        }
      }
    });
  });
});
