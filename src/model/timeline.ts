import type { EventDto, InteractionDto } from '../upstream/types.js';

// Computed once per interaction and kept for as long as the interaction is.
const timelines = new WeakMap<InteractionDto, EventDto[]>();

/** Every channel's events in one list ordered by offset; the sort is stable. */
export function timeline(interaction: InteractionDto): EventDto[] {
  let events = timelines.get(interaction);
  if (!events) {
    events = interaction.channels
      .flatMap((channel) => channel.events)
      .sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
    timelines.set(interaction, events);
  }
  return events;
}

export function ofTypes<T extends { type: string }>(
  events: T[],
  types?: readonly string[] | null,
): T[] {
  if (!types) return events;
  const wanted = new Set(types);
  return events.filter((event) => wanted.has(event.type));
}
