import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers.js';
import { Event } from './Event.js';
import { Channel, Interaction } from './Interaction.js';
import { InteractionPage } from './InteractionPage.js';
import { Query } from './Query.js';
import { QueueVisit, QueueVisitPage } from './QueueVisit.js';
import { Subscription } from './Subscription.js';

// Upstream's own fields need no resolvers: its objects already have the schema's field names,
// and parse.ts has normalised their lists. Only derived fields have resolvers.
export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  Query,
  Subscription,
  InteractionPage,
  QueueVisit,
  QueueVisitPage,
  Interaction,
  Channel,
  ...Event,
};
