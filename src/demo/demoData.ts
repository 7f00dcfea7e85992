import { readFileSync } from 'node:fs';
import type { ChannelDto, EventDto, InteractionDto } from '../upstream/types.js';

/** The reference sample (2 channels, 42 events), as the Stats API documents it. */
export function referenceInteraction(): InteractionDto {
  const file = new URL('./interaction-example.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as InteractionDto;
}

// A small seeded generator (mulberry32), so the demo data is the same on every start.
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function guid(next: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

export const event = (
  type: string,
  offset: number,
  duration: number | null,
  name: string | null = null,
  properties: Record<string, unknown> | null = null,
): EventDto => ({ type, offset, name, duration, properties });

/** The demo's virtual queue and its target time to answer, for the stand-in's `/queue-times`. */
export const DEMO_VIRTUAL_QUEUES = { Priority: 10_000 };

/**
 * `count` realistic interactions over the day before `now`: inbound calls through a plan and a
 * queue to an agent, some abandoned in the queue (a long wait breaks out instead), every eighth
 * through the virtual `Priority` queue, a few outbound, a few still ongoing, and now and then an
 * event kind the gateway does not type (`Hold`).
 */
export function generateInteractions(count: number, now: Date, seed = 7): InteractionDto[] {
  const next = random(seed);
  const between = (min: number, max: number) => Math.floor(min + next() * (max - min));
  const queues = ['Sales', 'Billing', 'Support'];
  const items: InteractionDto[] = [];
  for (let i = 0; i < count; i++) {
    const ongoing = i >= count - 3;
    const start = new Date(now.getTime() - (count - i) * 420_000 - between(0, 400_000));
    const id = guid(next);
    const drawn = queues[between(0, queues.length)] as string;
    const queue = i % 8 === 0 ? 'Priority' : drawn;
    const outbound = next() < 0.15;
    // An ongoing interaction is in progress with an agent, so it has not been abandoned.
    const abandoned = !ongoing && !outbound && next() < 0.15;
    const ivr = outbound ? 0 : between(3_000, 15_000);
    const queued = outbound ? 0 : between(2_000, 90_000);
    const ring = between(2_000, 12_000);
    const answeredAt = ivr + queued + ring;
    const talk = between(30_000, 600_000);
    const wrap = between(2_000, 60_000);
    const agentId = String(between(1000, 1100));
    const externalEnd = abandoned ? ivr + queued : answeredAt + talk;
    const external: ChannelDto = {
      guid: id,
      offset: 0,
      duration: ongoing ? null : externalEnd,
      endReason: ongoing ? null : 'Released',
      integrationType: null,
      party: { id: null, role: 'External', touchpoint: `07700${between(100000, 999999)}` },
      events: [event('Ringing', 0, 0), event('Connected', 0, ongoing ? null : externalEnd)],
    };
    if (!outbound) {
      external.events.push(
        event('InteractionPlan', 300, ongoing ? null : externalEnd - 300, `${queue} Plan`, {
          reportingGroup: queue,
        }),
        event('Applet', 350, 0, 'Welcome', { appletType: 'Announcement' }),
        event('Applet', ivr - 200, 0, 'MainMenu', { appletType: 'Menu' }),
        event('Queue', ivr, ongoing && abandoned ? null : queued, queue, {
          interactionPlan: '1234567890',
          interactionPlanName: `${queue} Plan`,
          presentedSkills: [queue],
          result: abandoned ? (queued > 60_000 ? 'NoAgentsBreakout' : 'Abandoned') : 'Delivered',
        }),
      );
    }
    const channels = [external];
    if (!abandoned) {
      const agentStart = answeredAt - ring;
      const agent: ChannelDto = {
        guid: guid(next),
        offset: agentStart,
        duration: ongoing ? null : ring + talk + wrap,
        endReason: ongoing ? null : 'Released',
        integrationType: null,
        party: { id: agentId, role: 'Agent', touchpoint: `0161${between(1000000, 9999999)}` },
        events: [
          event('Ringing', agentStart, ring),
          event('Connected', answeredAt, ongoing ? null : talk),
          event('CallRecording', answeredAt + 20, ongoing ? null : talk - 20),
        ],
      };
      if (next() < 0.2)
        agent.events.push(event('Hold', answeredAt + 10_000, 15_000, null, { reason: 'Consult' }));
      if (!ongoing) {
        agent.events.push(
          event('Wrap', answeredAt + talk, wrap),
          event('Disposition', answeredAt + talk + 1, 0, null, {
            disposition: next() < 0.5 ? 'Resolved' : 'CallBack',
          }),
          event('CallRating', answeredAt + talk + 2, 0, null, {
            classification: String(between(1, 6)),
          }),
        );
      }
      channels.push(agent);
    }
    const duration = Math.max(...channels.map((c) => (c.offset ?? 0) + (c.duration ?? 0)));
    items.push({
      status: ongoing ? 'Ongoing' : 'Completed',
      medium: 'Phone',
      mediumManager: 'VCC',
      start: start.toISOString(),
      guid: id,
      conversationGuid: guid(next),
      duration: ongoing ? null : duration,
      direction: outbound ? 'Outbound' : 'Inbound',
      serviceName: outbound ? 'Outbound Sales' : queue,
      connectTo: outbound ? external.party?.touchpoint : '03301234567',
      connectFrom: outbound ? '03301234567' : external.party?.touchpoint,
      categorizedAt: ongoing ? null : new Date(start.getTime() + duration + 60_000).toISOString(),
      outcome: ongoing ? null : abandoned ? 'Abandoned in queue' : 'Handled by agent',
      interactionPlanMapping: outbound
        ? null
        : {
            addressName: 'Main Number',
            mappingName: 'Default',
            interactionPlanName: `${queue} Plan`,
            reportingGroup: queue,
          },
      channels,
    });
  }
  return items;
}
