import { generateInteractions } from '../../src/demo/demoData.js';
import { channelOf, interactionOf } from '../../src/upstream/parentLinks.js';
import { parseInteraction, parseInteractionPage } from '../../src/upstream/parse.js';
import type { InteractionDto } from '../../src/upstream/types.js';
import { referenceInteraction } from '../support/fixture.js';

// Resolvers find an event's channel and a channel's interaction through these links, so every
// interaction the body parser returns must carry them, whichever endpoint it came from.

function expectLinked(interaction: InteractionDto): number {
  let events = 0;
  for (const channel of interaction.channels) {
    expect(interactionOf(channel)).toBe(interaction);
    for (const event of channel.events) {
      expect(channelOf(event)).toBe(channel);
      events += 1;
    }
  }
  return events;
}

describe('parent links', () => {
  it('are made for every channel and event of a single interaction', () => {
    const parsed = parseInteraction(JSON.stringify(referenceInteraction()));
    expect(expectLinked(parsed)).toBe(42);
  });

  it('are made for every item of a page', () => {
    const items = generateInteractions(20, new Date('2026-11-24T12:00:00Z'));
    const meta = { page: 1, count: 20, pageCount: 1, totalCount: 20 };
    const page = parseInteractionPage(JSON.stringify({ meta, items }));
    expect(page.items).toHaveLength(20);
    for (const item of page.items) expectLinked(item);
  });

  it('stay out of the data: no keys, nothing copied by a spread, nothing serialized', () => {
    const parsed = parseInteraction(JSON.stringify(referenceInteraction()));
    const channel = parsed.channels[0];
    const event = channel?.events[0];
    expect(event).toBeDefined();
    for (const object of [channel, event] as object[]) {
      expect(Reflect.ownKeys(object).filter((key) => typeof key === 'symbol')).toEqual([]);
    }
    expect(Reflect.ownKeys({ ...event })).toEqual(Reflect.ownKeys(event as object));
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(referenceInteraction());
  });
});
