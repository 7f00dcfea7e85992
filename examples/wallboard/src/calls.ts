import type { OngoingCallsSubscription } from './__generated__/graphql';

export type Call = OngoingCallsSubscription['ongoingInteractions']['items'][number];
export type CallEvent = Call['events'][number];

const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

/** When an event started and ended on the wall clock; a running event ends `now`. */
export function span(event: CallEvent, now: number): { from: number; to: number } {
  const from = ms(event.at);
  return { from, to: event.duration === null ? now : from + event.duration };
}

/** Still running: upstream has not given it a duration yet. */
export const running = (event: CallEvent) => event.duration === null;

const STATUS: Record<string, string> = {
  Queue: 'Waiting',
  Ringing: 'Ringing',
  Connected: 'Talking',
  Wrap: 'Wrap-up',
  InteractionPlan: 'In the plan',
};

// The latest of these still running says where the call is: its Queue event while it waits,
// the agent's Connected event once answered (the caller's own Connected event, the plan and a
// recording run throughout).
function current(call: Call): CallEvent | undefined {
  return call.events.filter((event) => running(event) && event.type in STATUS).at(-1);
}

export function status(call: Call): string {
  const event = current(call);
  return event ? (STATUS[event.type] ?? event.type) : 'In progress';
}

/** The agent on the call: the first Agent channel's party. */
export const agent = (call: Call): string | null =>
  call.channels.find((channel) => channel.party?.role === 'Agent')?.party?.id ?? null;

/** Time in queue: upstream's sum once the stay ended, else counted up to now. */
export function queueTime(call: Call, now: number): number | null {
  if (call.metrics.queueTime !== null) return call.metrics.queueTime;
  const queued = call.events.filter((event) => event.type === 'Queue');
  if (queued.length === 0) return null;
  return queued.reduce((sum, event) => {
    const { from, to } = span(event, now);
    return sum + Math.max(0, to - from);
  }, 0);
}

/** Who called: the caller's address on an inbound call, the far end otherwise. */
export const who = (call: Call): string => call.connectFrom ?? 'Unknown';
