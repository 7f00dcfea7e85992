import type { ChannelResolvers, InteractionResolvers } from '../__generated__/resolvers.js';
import { addMs, endOf } from '../model/instants.js';
import { metrics } from '../model/timings.js';
import { ofTypes, timeline } from '../model/timeline.js';
import { interactionOf } from '../upstream/parentLinks.js';

// Lists from upstream go through ctx.result.serve, which counts them against MAX_RESULT_ITEMS.
export const Interaction: InteractionResolvers = {
  end: (interaction) => endOf(interaction.start, 0, interaction.duration),
  channels: (interaction, _, ctx) => ctx.result.serve(interaction.channels),
  events: (interaction, { types }, ctx) => ctx.result.serve(ofTypes(timeline(interaction), types)),
  metrics: (interaction) => metrics(interaction),
};

export const Channel: ChannelResolvers = {
  events: (channel, { types }, ctx) => ctx.result.serve(ofTypes(channel.events, types)),
  start: (channel) => addMs(interactionOf(channel).start, channel.offset),
  end: (channel) => endOf(interactionOf(channel).start, channel.offset, channel.duration),
};
