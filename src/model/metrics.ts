import type { EventDto, InteractionDto } from '../upstream/types.js';

export interface InteractionMetrics {
  queueTime: number | null;
  ringTime: number | null;
  talkTime: number | null;
  wrapTime: number | null;
  timeToAnswer: number | null;
  agentCount: number;
  recorded: boolean;
}

// Derived data is computed once per interaction and kept for as long as the interaction is.
const timelines = new WeakMap<InteractionDto, EventDto[]>();
const metricsCache = new WeakMap<InteractionDto, InteractionMetrics>();

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

/** Sum of durations; `null` when any is unknown (an event still running). */
function total(events: EventDto[]): number | null {
  let sum = 0;
  for (const event of events) {
    if (event.duration == null) return null;
    sum += event.duration;
  }
  return sum;
}

export function metrics(interaction: InteractionDto): InteractionMetrics {
  let result = metricsCache.get(interaction);
  if (result) return result;
  const agentChannels = interaction.channels.filter((c) => c.party?.role === 'Agent');
  const agentEvents = (type: string) =>
    agentChannels.flatMap((c) => c.events).filter((e) => e.type === type);
  const all = timeline(interaction);
  const answers = agentEvents('Connected')
    .map((e) => e.offset)
    .filter((offset): offset is number => offset != null);
  result = {
    queueTime: total(all.filter((e) => e.type === 'Queue')),
    ringTime: total(agentEvents('Ringing')),
    talkTime: total(agentEvents('Connected')),
    wrapTime: total(all.filter((e) => e.type === 'Wrap')),
    timeToAnswer: answers.length > 0 ? Math.min(...answers) : null,
    // A party is its id; an agent leg without one still counts, once per channel.
    agentCount: new Set(agentChannels.map((c) => c.party?.id ?? c)).size,
    recorded: all.some((e) => e.type === 'CallRecording'),
  };
  metricsCache.set(interaction, result);
  return result;
}
