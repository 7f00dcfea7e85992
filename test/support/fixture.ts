import { referenceInteraction } from '../../src/demo/demoData.js';
import type { EventDto, InteractionDto } from '../../src/upstream/types.js';

export { referenceInteraction };

/** The reference sample's guid, and a copy of it under another guid and content. */
export const SAMPLE_GUID = '016f7e44-7556-4747-9982-de543dfbe27f';

export function variant(guid: string, changes: Partial<InteractionDto> = {}): InteractionDto {
  return { ...referenceInteraction(), guid, ...changes };
}

/** The reference sample with its first channel's events repeated up to `count` events. */
export function withEvents(guid: string, count: number): InteractionDto {
  const sample = referenceInteraction();
  const [first, ...rest] = sample.channels ?? [];
  const source = first?.events ?? [];
  const events = Array.from({ length: count }, (_, i) => ({
    ...(source[i % source.length] as EventDto),
    offset: i,
  }));
  return {
    ...sample,
    guid,
    channels: [{ ...first, events }, ...rest.map((c) => ({ ...c, events: [] }))],
  };
}
