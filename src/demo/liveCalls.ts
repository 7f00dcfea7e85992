import type { ChannelDto, InteractionDto } from '../upstream/types.js';
import { event, guid, random } from './demoData.js';

// Calls that start, progress and end while the demo runs (and while tests watch), so that the
// live feeds have something to show. Each step returns a new interaction; the stand-in keeps
// the latest copy and reports it as processed at the time it was put (statsApi.ts).

const QUEUES = ['Sales', 'Billing', 'Support', 'Priority'];
// A caller nobody answers within this long breaks out of the queue rather than abandoning.
const BREAKOUT_MS = 30_000;
const IVR_MS = 4000;
const RING_MS = 3000;

const iso = (ms: number) => new Date(ms).toISOString();
const copy = (call: InteractionDto): InteractionDto => structuredClone(call);

/** A new inbound call, through the plan and now waiting in a queue. */
export function incomingCall(next: () => number, now: number): InteractionDto {
  const start = now - IVR_MS;
  const queue = QUEUES[Math.floor(next() * QUEUES.length)] as string;
  const touchpoint = `07700${100000 + Math.floor(next() * 900000)}`;
  const id = guid(next);
  const external: ChannelDto = {
    guid: id,
    offset: 0,
    duration: null,
    endReason: null,
    integrationType: null,
    party: { id: null, role: 'External', touchpoint },
    events: [
      event('Ringing', 0, 0),
      event('Connected', 0, null),
      event('InteractionPlan', 300, null, `${queue} Plan`, { reportingGroup: queue }),
      event('Applet', 350, 0, 'Welcome', { appletType: 'Announcement' }),
      event('Queue', IVR_MS, null, queue, {
        interactionPlan: '1234567890',
        interactionPlanName: `${queue} Plan`,
        presentedSkills: [queue],
        result: null,
      }),
    ],
  };
  return {
    status: 'Ongoing',
    medium: 'Phone',
    mediumManager: 'VCC',
    start: iso(start),
    guid: id,
    conversationGuid: guid(next),
    duration: null,
    direction: 'Inbound',
    serviceName: queue,
    connectTo: '03301234567',
    connectFrom: touchpoint,
    categorizedAt: null,
    outcome: null,
    interactionPlanMapping: {
      addressName: 'Main Number',
      mappingName: 'Default',
      interactionPlanName: `${queue} Plan`,
      reportingGroup: queue,
    },
    channels: [external],
  };
}

/** An agent answers: the queue stay ends and an agent channel opens. */
export function answeredCall(
  call: InteractionDto,
  next: () => number,
  now: number,
): InteractionDto {
  const agentId = String(1000 + Math.floor(next() * 100));
  const answered = copy(call);
  const answerAt = Math.max(IVR_MS + RING_MS, now - Date.parse(answered.start ?? ''));
  const external = answered.channels[0] as ChannelDto;
  const queue = external.events.find((e) => e.type === 'Queue');
  if (queue) {
    queue.duration = answerAt - RING_MS - IVR_MS;
    queue.properties = { ...(queue.properties as object), result: 'Delivered' };
  }
  answered.channels.push({
    guid: guid(next),
    offset: answerAt - RING_MS,
    duration: null,
    endReason: null,
    integrationType: null,
    party: { id: agentId, role: 'Agent', touchpoint: `0161${agentId}000` },
    events: [
      event('Ringing', answerAt - RING_MS, RING_MS),
      event('Connected', answerAt, null),
      event('CallRecording', answerAt + 20, null),
    ],
  });
  return answered;
}

/**
 * The call ends: every open channel and event closes, and the call is categorised. A call still
 * in its queue leaves it abandoned, or broken out after BREAKOUT_MS.
 */
export function endedCall(call: InteractionDto, now: number): InteractionDto {
  const ended = copy(call);
  const endAt = Math.max(1, now - Date.parse(ended.start ?? ''));
  const answered = ended.channels.length > 1;
  for (const channel of ended.channels) {
    channel.duration = endAt - (channel.offset ?? 0);
    channel.endReason = 'Released';
    for (const e of channel.events) e.duration ??= endAt - (e.offset ?? 0);
  }
  const queue = ended.channels[0]?.events.find((e) => e.type === 'Queue');
  if (queue && !answered) {
    const result = (queue.duration ?? 0) > BREAKOUT_MS ? 'NoAgentsBreakout' : 'Abandoned';
    queue.properties = { ...(queue.properties as object), result };
  }
  ended.status = 'Completed';
  ended.duration = endAt;
  ended.categorizedAt = iso(now);
  ended.outcome = answered ? 'Handled by agent' : 'Abandoned in queue';
  return ended;
}

/** Somewhere to put the calls: the stand-in's `put`. */
export type PutInteraction = (interaction: InteractionDto) => void;

/**
 * Demo traffic: every `everyMs`, a call may come in (up to a handful at once), a queued call
 * may be answered, and a call in progress may end.
 */
export function startCallActivity(put: PutInteraction, everyMs: number, seed = 11): () => void {
  const next = random(seed);
  const calls = new Map<string, InteractionDto>();
  const step = () => {
    const now = Date.now();
    for (const [id, call] of calls) {
      const answered = call.channels.length > 1;
      if (!answered && next() < 0.35) calls.set(id, answeredCall(call, next, now));
      else if (next() < (answered ? 0.3 : 0.05)) calls.set(id, endedCall(call, now));
      else continue;
      put(calls.get(id) as InteractionDto);
      if (calls.get(id)?.status === 'Completed') calls.delete(id);
    }
    if (calls.size < 6 && next() < 0.6) {
      const call = incomingCall(next, now);
      calls.set(call.guid, call);
      put(call);
    }
  };
  const timer = setInterval(step, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
