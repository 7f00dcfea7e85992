import { linkParent } from './parentLinks.js';
import { UpstreamError } from './upstreamError.js';
import type {
  InteractionDto,
  InteractionPageDto,
  QueueVisitDto,
  QueueVisitPageDto,
} from './types.js';

// Checks that a Stats API body has the shape the schema serves, so that a malformed answer
// becomes one UPSTREAM_BAD_RESPONSE instead of a scatter of field errors. Missing and null
// fields are fine (upstream promises little); a present field of the wrong JSON type is not.
// The same walk links each channel and event to its parent (parentLinks.ts).

type Kind = 'string' | 'int' | 'object';
type Spec = Readonly<Record<string, Kind>>;

const INTERACTION: Spec = {
  guid: 'string',
  conversationGuid: 'string',
  status: 'string',
  medium: 'string',
  mediumManager: 'string',
  direction: 'string',
  start: 'string',
  duration: 'int',
  serviceName: 'string',
  connectTo: 'string',
  connectFrom: 'string',
  categorizedAt: 'string',
  outcome: 'string',
  interactionPlanMapping: 'object',
};
const MAPPING: Spec = {
  addressName: 'string',
  mappingName: 'string',
  interactionPlanName: 'string',
  reportingGroup: 'string',
};
const CHANNEL: Spec = {
  guid: 'string',
  offset: 'int',
  duration: 'int',
  endReason: 'string',
  integrationType: 'string',
  party: 'object',
};
const PARTY: Spec = { id: 'string', role: 'string', touchpoint: 'string' };
const EVENT: Spec = { type: 'string', name: 'string', offset: 'int', duration: 'int' };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fits(value: unknown, kind: Kind): boolean {
  if (value === null || value === undefined) return true;
  if (kind === 'int') return Number.isInteger(value);
  if (kind === 'object') return isRecord(value);
  return typeof value === 'string';
}

function bad(path: string, expected: string): never {
  throw new UpstreamError('BAD_RESPONSE', `Stats API body: ${path} is not ${expected}`);
}

function check(value: unknown, spec: Spec, path: string): Record<string, unknown> {
  if (!isRecord(value)) bad(path, 'an object');
  for (const key in spec) {
    const kind = spec[key] as Kind;
    if (!fits(value[key], kind)) bad(`${path}.${key}`, kind === 'int' ? 'an integer' : `a ${kind}`);
  }
  return value;
}

// A null or missing list is served as empty: "serve what is there".
function list(value: unknown, path: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) bad(path, 'an array');
  return value;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamError('BAD_RESPONSE', 'Stats API body is not JSON');
  }
}

/** Parses a single-interaction body; throws UpstreamError BAD_RESPONSE when it cannot be served. */
export function parseInteraction(text: string): InteractionDto {
  return checkInteraction(json(text), 'interaction');
}

/**
 * An interaction already decoded elsewhere (a live feed's state kept in Redis), checked and
 * linked as a body from the Stats API is: Redis is outside the process, so it is not trusted more.
 */
export function checkedInteraction(value: unknown): InteractionDto {
  return checkInteraction(value, 'interaction');
}

const META: Spec = { page: 'int', count: 'int', pageCount: 'int', totalCount: 'int' };

/** A list endpoint's `{ meta, items, upTo }` envelope, each item checked by `item`. */
function parsePage<T>(
  text: string,
  item: (value: unknown, path: string) => T,
): { meta: InteractionPageDto['meta']; items: T[]; upTo: string | null | undefined } {
  const body = check(json(text), { upTo: 'string' }, 'page');
  const meta = check(body.meta, META, 'page.meta');
  for (const key in META) if (meta[key] == null) bad(`page.meta.${key}`, 'an integer');
  const items = list(body.items, 'page.items').map((value, i) => item(value, `page.items[${i}]`));
  return {
    meta: meta as InteractionPageDto['meta'],
    items,
    upTo: body.upTo as string | null | undefined,
  };
}

/** Parses `GET /interactions` or `GET /interactions/ongoing`. */
export function parseInteractionPage(text: string): InteractionPageDto {
  return parsePage(text, checkInteraction);
}

const QUEUE_VISIT: Spec = {
  start: 'string',
  interactionGuid: 'string',
  medium: 'string',
  mediumManager: 'string',
  interactionPlan: 'string',
  queue: 'string',
  type: 'string',
  category: 'string',
  reason: 'string',
  duration: 'int',
  targets: 'object',
  party: 'object',
};

/** Parses `GET /queue-times`. */
export function parseQueueVisitPage(text: string): QueueVisitPageDto {
  return parsePage(text, checkQueueVisit);
}

/** A queue visit decoded elsewhere (a live feed's message through Redis), checked as a body is. */
export function checkQueueVisit(value: unknown, path = 'queueVisit'): QueueVisitDto {
  const visit = check(value, QUEUE_VISIT, path);
  if (visit.targets) check(visit.targets, { targetTimeToAnswer: 'int' }, `${path}.targets`);
  if (visit.party) check(visit.party, PARTY, `${path}.party`);
  const skills = list(visit.presentedSkills, `${path}.presentedSkills`);
  skills.forEach((skill, i) => {
    if (typeof skill !== 'string') bad(`${path}.presentedSkills[${i}]`, 'a string');
  });
  if (visit.presentedSkills != null) visit.presentedSkills = skills;
  return visit as QueueVisitDto;
}

function checkInteraction(value: unknown, path: string): InteractionDto {
  const interaction = check(value, INTERACTION, path);
  if (typeof interaction.guid !== 'string') bad(`${path}.guid`, 'a string');
  if (interaction.interactionPlanMapping) {
    check(interaction.interactionPlanMapping, MAPPING, `${path}.interactionPlanMapping`);
  }
  const channels = list(interaction.channels, `${path}.channels`);
  channels.forEach((c, i) => {
    const channelPath = `${path}.channels[${i}]`;
    const channel = check(c, CHANNEL, channelPath);
    linkParent(channel, interaction);
    if (channel.party) check(channel.party, PARTY, `${channelPath}.party`);
    const events = list(channel.events, `${channelPath}.events`);
    events.forEach((e, j) => {
      const event = check(e, EVENT, `${channelPath}.events[${j}]`);
      // `type` is what selects the GraphQL type, so it is the one event field that must be there.
      if (typeof event.type !== 'string') bad(`${channelPath}.events[${j}].type`, 'a string');
      linkParent(event, channel);
    });
    channel.events = events;
  });
  interaction.channels = channels;
  return interaction as unknown as InteractionDto;
}
