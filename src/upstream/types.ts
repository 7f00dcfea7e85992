// The Stats API's objects, as `parse.ts` has checked them (and linked each child to its
// parent: parentLinks.ts). Upstream promises little about nullability (stats-api.md section 3),
// so every field but the ones the gateway relies on is optional and nullable.

export interface InteractionDto {
  guid: string;
  conversationGuid?: string | null;
  status?: string | null;
  medium?: string | null;
  mediumManager?: string | null;
  direction?: string | null;
  start?: string | null;
  duration?: number | null;
  serviceName?: string | null;
  connectTo?: string | null;
  connectFrom?: string | null;
  categorizedAt?: string | null;
  outcome?: string | null;
  interactionPlanMapping?: InteractionPlanMappingDto | null;
  channels: ChannelDto[];
}

export interface InteractionPlanMappingDto {
  addressName?: string | null;
  mappingName?: string | null;
  interactionPlanName?: string | null;
  reportingGroup?: string | null;
}

export interface ChannelDto {
  guid?: string | null;
  offset?: number | null;
  duration?: number | null;
  endReason?: string | null;
  integrationType?: string | null;
  party?: PartyDto | null;
  events: EventDto[];
}

export interface PartyDto {
  id?: string | null;
  role?: string | null;
  touchpoint?: string | null;
}

export interface EventDto {
  type: string;
  name?: string | null;
  offset?: number | null;
  duration?: number | null;
  properties?: unknown;
}

/** Upstream's paged envelope for list endpoints. */
export interface InteractionPageDto {
  meta: { page: number; count: number; pageCount: number; totalCount: number };
  items: InteractionDto[];
  upTo?: string | null;
}

export type IncludeDto = 'Started' | 'StartedOrEnded' | 'Processed';

export interface PageParams {
  page: number;
  limit: number;
}

export interface WindowParams extends PageParams {
  /** ISO 8601 UTC with `Z`, as upstream wants it. */
  start: string;
  end?: string;
  include: IncludeDto;
}

/** One row of `GET /queue-times`: an interaction's stay in a queue (stats-api.md 2.6). */
export interface QueueVisitDto {
  start?: string | null;
  interactionGuid?: string | null;
  medium?: string | null;
  mediumManager?: string | null;
  interactionPlan?: string | null;
  queue?: string | null;
  /** Known values `ACD`, `Virtual`; an open set. */
  type?: string | null;
  presentedSkills?: string[] | null;
  /** Known values `Answered`, `Abandoned`, `Breakout`; an open set. */
  category?: string | null;
  reason?: string | null;
  duration?: number | null;
  targets?: { targetTimeToAnswer?: number | null } | null;
  party?: PartyDto | null;
}

export interface QueueVisitPageDto {
  meta: InteractionPageDto['meta'];
  items: QueueVisitDto[];
  upTo?: string | null;
}

/** Upstream's `queueType` values. */
export type QueueTypeDto = 'ACD' | 'Virtual';

export interface QueueTimesParams extends WindowParams {
  /** Queue names, sent comma-separated; every queue when omitted. */
  queues?: readonly string[];
  queueType: QueueTypeDto;
}
