import { event } from '../../src/demo/demoData.js';
import type { InteractionDto } from '../../src/upstream/types.js';

// Interactions made to order for the queue tests: the stand-in makes one queue visit of each
// finished `Queue` event (src/demo/queueTimes.ts), so a test states its visits as calls.

export interface QueueStay {
  queue: string;
  /** When the call entered the queue, in milliseconds after the call's start. */
  offset?: number;
  /** Time in queue; `null` while the call is still waiting. */
  duration: number | null;
  /** The queue event's result: `Delivered`, `Abandoned`, `NoAgentsBreakout` ... */
  result?: string;
}

let counter = 0;

/** A fresh GUID, different on every call. */
export function nextGuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** An inbound call starting at `start` that stays in each queue of `stays` in turn. */
export function queuedCall(start: number, ...stays: QueueStay[]): InteractionDto {
  return callWithGuid(nextGuid(), start, stays);
}

/** The same call later on: its queue stays as they are now. */
export function laterCall(call: InteractionDto, ...stays: QueueStay[]): InteractionDto {
  return callWithGuid(call.guid, Date.parse(call.start ?? ''), stays);
}

function callWithGuid(guid: string, start: number, stays: QueueStay[]): InteractionDto {
  const waiting = stays.some((stay) => stay.duration === null);
  return {
    guid,
    status: waiting ? 'Ongoing' : 'Completed',
    medium: 'Phone',
    mediumManager: 'VCC',
    start: new Date(start).toISOString(),
    duration: waiting ? null : 600_000,
    direction: 'Inbound',
    categorizedAt: waiting ? null : new Date(start + 600_000).toISOString(),
    channels: [
      {
        guid,
        offset: 0,
        duration: waiting ? null : 600_000,
        party: { id: null, role: 'External', touchpoint: '07700900123' },
        events: stays.map(({ queue, offset = 1000, duration, result }) =>
          event('Queue', offset, duration, queue, {
            interactionPlan: '0123456789',
            interactionPlanName: `${queue} Plan`,
            presentedSkills: [queue, 'English'],
            result: result ?? (duration === null ? null : 'Delivered'),
          }),
        ),
      },
    ],
  };
}
