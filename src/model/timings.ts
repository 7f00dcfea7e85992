import type { EventDto, InteractionDto } from '../upstream/types.js';
import { timeline } from './timeline.js';

export interface InteractionMetrics {
  queueTime: number | null;
  ringTime: number | null;
  talkTime: number | null;
  wrapTime: number | null;
  timeToAnswer: number | null;
  agentCount: number;
  recorded: boolean;
}

// Computed once per interaction and kept for as long as the interaction is.
const metricsCache = new WeakMap<InteractionDto, InteractionMetrics>();

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
