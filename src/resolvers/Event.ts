import type { Resolvers } from '../__generated__/resolvers.js';
import { addMs, endOf } from '../model/instants.js';
import { isRecord } from '../upstream/parse.js';
import { channelOf, interactionOf } from '../upstream/parentLinks.js';
import type { EventDto } from '../upstream/types.js';

// Upstream `type` -> GraphQL type. Anything not listed is served as UnknownEvent, so a kind
// upstream adds tomorrow never fails a query.
const TYPE_NAMES = {
  Ringing: 'RingingEvent',
  Connected: 'ConnectedEvent',
  InteractionPlan: 'InteractionPlanEvent',
  Applet: 'AppletEvent',
  Queue: 'QueueEvent',
  CallRecording: 'CallRecordingEvent',
  Wrap: 'WrapEvent',
  Disposition: 'DispositionEvent',
  CallRating: 'CallRatingEvent',
} as const;

type EventTypeName = (typeof TYPE_NAMES)[keyof typeof TYPE_NAMES] | 'UnknownEvent';

function typeName(type: string): EventTypeName {
  return Object.hasOwn(TYPE_NAMES, type)
    ? TYPE_NAMES[type as keyof typeof TYPE_NAMES]
    : 'UnknownEvent';
}

// Kind-specific fields read `properties`, which may be null, missing or of another shape.
function text(event: EventDto, key: string): string | null {
  const value = isRecord(event.properties) ? event.properties[key] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function texts(event: EventDto, key: string): (string | null)[] | null {
  const value = isRecord(event.properties) ? event.properties[key] : undefined;
  if (!Array.isArray(value)) return null;
  return value.map((item: unknown) => (typeof item === 'string' ? item : null));
}

const startOf = (event: EventDto) => interactionOf(channelOf(event)).start;

// Fields every event type has; GraphQL does not inherit resolvers from the interface.
const common = {
  at: (event: EventDto) => addMs(startOf(event), event.offset),
  end: (event: EventDto) => endOf(startOf(event), event.offset, event.duration),
  channel: channelOf,
};

export const Event: Resolvers = {
  Event: { __resolveType: (event) => typeName(event.type) },
  RingingEvent: common,
  ConnectedEvent: common,
  CallRecordingEvent: common,
  WrapEvent: common,
  UnknownEvent: common,
  InteractionPlanEvent: { ...common, reportingGroup: (event) => text(event, 'reportingGroup') },
  AppletEvent: { ...common, appletType: (event) => text(event, 'appletType') },
  QueueEvent: {
    ...common,
    interactionPlan: (event) => text(event, 'interactionPlan'),
    interactionPlanName: (event) => text(event, 'interactionPlanName'),
    presentedSkills: (event) => texts(event, 'presentedSkills'),
    result: (event) => text(event, 'result'),
  },
  DispositionEvent: { ...common, disposition: (event) => text(event, 'disposition') },
  CallRatingEvent: { ...common, classification: (event) => text(event, 'classification') },
};
