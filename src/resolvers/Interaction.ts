import type { ChannelResolvers, InteractionResolvers } from '../__generated__/resolvers.js';
import { addMs, endOf } from '../model/instants.js';
import { metrics } from '../model/timings.js';
import { ofTypes, timeline } from '../model/timeline.js';
import { interactionOf } from '../upstream/parentLinks.js';

export const Interaction: InteractionResolvers = {
  end: (interaction) => endOf(interaction.start, 0, interaction.duration),
  events: (interaction, { types }) => ofTypes(timeline(interaction), types),
  metrics: (interaction) => metrics(interaction),
};

export const Channel: ChannelResolvers = {
  events: (channel, { types }) => ofTypes(channel.events, types),
  start: (channel) => addMs(interactionOf(channel).start, channel.offset),
  end: (channel) => endOf(interactionOf(channel).start, channel.offset, channel.duration),
};
