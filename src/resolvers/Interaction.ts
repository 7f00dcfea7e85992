import type { ChannelResolvers, InteractionResolvers } from '../__generated__/resolvers.js';
import { addMs, interactionOf } from '../model/links.js';
import { metrics, ofTypes, timeline } from '../model/metrics.js';

export const Interaction: InteractionResolvers = {
  end: (interaction) => addMs(interaction.start, interaction.duration),
  events: (interaction, { types }) => ofTypes(timeline(interaction), types),
  metrics: (interaction) => metrics(interaction),
};

export const Channel: ChannelResolvers = {
  events: (channel, { types }) => ofTypes(channel.events, types),
  start: (channel) => addMs(interactionOf(channel).start, channel.offset),
  end: (channel) =>
    channel.duration == null
      ? null
      : addMs(interactionOf(channel).start, (channel.offset ?? 0) + channel.duration),
};
