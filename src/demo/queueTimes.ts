import type { ChannelDto, EventDto, InteractionDto, QueueVisitDto } from '../upstream/types.js';
import { envelope, badRequest, matchesWindow, type Answer, type Listed } from './listing.js';

// The stand-in's `GET /queue-times` (stats-api.md 2.6), made from its interactions so that the
// two always agree: each finished `Queue` event is one visit. The queue event's `result` gives
// the category (`Delivered` is answered, `Abandoned` abandoned, a `...Breakout` reason a
// breakout, anything else passes through as it is); a queue named in `virtualQueues` is of type
// `Virtual` with that target time to answer. A call still in a queue has no row yet: it shows as
// waiting in the ongoing interactions instead.

/** Virtual queues by name, with their target time to answer in milliseconds. */
export type VirtualQueues = Readonly<Record<string, number>>;

const QUEUE_TYPES = ['ACD', 'Virtual'];

function category(result: unknown): string | null {
  if (typeof result !== 'string') return null;
  if (result === 'Delivered') return 'Answered';
  if (result === 'Abandoned') return 'Abandoned';
  return result.endsWith('Breakout') ? 'Breakout' : result;
}

function visit(
  interaction: InteractionDto,
  channel: ChannelDto,
  event: EventDto,
  start: number,
  virtualQueues: VirtualQueues,
): QueueVisitDto {
  const queue = event.name as string;
  const properties = (event.properties ?? {}) as Record<string, unknown>;
  const target = Object.hasOwn(virtualQueues, queue) ? virtualQueues[queue] : undefined;
  return {
    start: new Date(start + (event.offset ?? 0)).toISOString(),
    interactionGuid: interaction.guid,
    medium: interaction.medium,
    mediumManager: interaction.mediumManager,
    interactionPlan: (properties.interactionPlan as string | undefined) ?? null,
    queue,
    type: target === undefined ? 'ACD' : 'Virtual',
    presentedSkills: (properties.presentedSkills as string[] | undefined) ?? [],
    category: category(properties.result),
    reason: (properties.result as string | undefined) ?? null,
    duration: event.duration,
    targets: target === undefined ? null : { targetTimeToAnswer: target },
    party: channel.party,
  };
}

/** Every finished queue stay of the account, each with when its interaction was processed. */
function visits(
  { sorted, processedAt }: Listed,
  virtualQueues: VirtualQueues,
): { row: QueueVisitDto; entered: number; left: number; processed: number[] }[] {
  const all = [];
  for (const interaction of sorted) {
    const start = Date.parse(interaction.start ?? '');
    if (Number.isNaN(start)) continue;
    const processed = [
      Date.parse(interaction.categorizedAt ?? ''),
      processedAt.get(interaction.guid) ?? NaN,
    ];
    for (const channel of interaction.channels) {
      for (const event of channel.events) {
        if (event.type !== 'Queue' || event.name == null || event.duration == null) continue;
        const row = visit(interaction, channel, event, start, virtualQueues);
        const entered = start + (event.offset ?? 0);
        all.push({ row, entered, left: entered + event.duration, processed });
      }
    }
  }
  return all.sort(
    (a, b) => a.entered - b.entered || (a.row.queue as string).localeCompare(b.row.queue as string),
  );
}

/** `GET /queue-times?start&end&include&queues&queueType&page&limit`. */
export function queueTimes(
  listed: Listed,
  query: URLSearchParams,
  now: number,
  virtualQueues: VirtualQueues = {},
): Answer {
  const window = matchesWindow(query, now);
  if ('status' in window) return window;
  const queueType = query.get('queueType') ?? 'ACD';
  if (!QUEUE_TYPES.includes(queueType)) {
    return badRequest(`queueType must be one of ${QUEUE_TYPES.join(', ')}`);
  }
  const queues = query.has('queues') ? new Set(query.get('queues')?.split(',')) : undefined;
  const rows = visits(listed, virtualQueues).filter(
    ({ row, entered, left, processed }) =>
      row.type === queueType &&
      (!queues || queues.has(row.queue as string)) &&
      window.matches(entered, left, processed),
  );
  return envelope(
    rows.map(({ row }) => row),
    query,
    now,
  );
}
