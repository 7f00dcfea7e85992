import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers.js';
import { Event } from './Event.js';
import { Query } from './Query.js';

// Interaction, Channel and Party need no resolvers of their own: upstream's objects already
// have the schema's field names, and parse.ts has normalised their lists.
export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  Query,
  ...Event,
};
