import type { ChannelDto, EventDto, InteractionDto } from '../upstream/types.js';

// Upstream nests events in channels in interactions, but an event's time needs its
// interaction's `start`, and `Event.channel` its channel. These links are made once, when an
// interaction enters an operation (loaders/), so resolvers look them up instead of searching.
// They are symbol-keyed properties, not WeakMaps: a WeakMap entry per event cost 50 µs per
// interaction (measured), twice the JSON.parse of its body, and made the GC trace ephemerons.
const CHANNEL = Symbol('channel');
const INTERACTION = Symbol('interaction');

type LinkedEvent = EventDto & { [CHANNEL]?: ChannelDto };
type LinkedChannel = ChannelDto & { [INTERACTION]?: InteractionDto };

export function link(interaction: InteractionDto): InteractionDto {
  for (const channel of interaction.channels as LinkedChannel[]) {
    channel[INTERACTION] = interaction;
    for (const event of channel.events as LinkedEvent[]) event[CHANNEL] = channel;
  }
  return interaction;
}

export function channelOf(event: EventDto): ChannelDto {
  const channel = (event as LinkedEvent)[CHANNEL];
  if (!channel) throw new Error('event was not linked: interactions must enter through loaders/');
  return channel;
}

export function interactionOf(channel: ChannelDto): InteractionDto {
  const interaction = (channel as LinkedChannel)[INTERACTION];
  if (!interaction)
    throw new Error('channel was not linked: interactions must enter through loaders/');
  return interaction;
}

/**
 * `iso` + `ms`; `null` when either is unknown. A Date rather than a string: the DateTime scalar
 * passes a Date through after a cheap validity check, where it would check a string against
 * its regular expressions and parse it again (measured: 20% of the CPU of a page of timelines).
 */
export function addMs(iso: string | null | undefined, ms: number | null | undefined): Date | null {
  if (iso == null || ms == null) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time + ms);
}

/** When something that began `offset` ms after `iso` and lasted `duration` ended; `null` while it runs. */
export function endOf(
  iso: string | null | undefined,
  offset: number | null | undefined,
  duration: number | null | undefined,
): Date | null {
  return duration == null ? null : addMs(iso, (offset ?? 0) + duration);
}
