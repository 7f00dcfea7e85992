import type { InteractionDto } from '../upstream/types.js';

/** For each queue, when each of its waiting calls started waiting (epoch milliseconds). */
export type Waiting = ReadonlyMap<string, readonly number[]>;

/**
 * The calls waiting in a queue now, from the interactions in progress: a call waits in queue Q
 * while it has a `Queue` event named Q with no duration yet, since the interaction's `start`
 * plus that event's offset. With `queues`, only those queues.
 */
export function waitingCalls(
  ongoing: Iterable<InteractionDto>,
  queues?: ReadonlySet<string>,
): Waiting {
  const waiting = new Map<string, number[]>();
  for (const interaction of ongoing) {
    const start = Date.parse(interaction.start ?? '');
    if (Number.isNaN(start)) continue;
    for (const channel of interaction.channels) {
      for (const event of channel.events) {
        const queue = event.name;
        if (event.type !== 'Queue' || event.duration != null || queue == null) continue;
        if (queues && !queues.has(queue)) continue;
        const since = waiting.get(queue) ?? [];
        since.push(start + (event.offset ?? 0));
        waiting.set(queue, since);
      }
    }
  }
  return waiting;
}
