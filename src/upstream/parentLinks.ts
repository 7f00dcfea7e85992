import type { ChannelDto, EventDto, InteractionDto } from './types.js';

// Upstream nests events in channels in interactions, but an event's time needs its
// interaction's `start`, and `Event.channel` its channel. parse.ts links each channel and event
// to its parent in the walk that checks the body, so every interaction the client returns is
// linked, and resolvers look parents up instead of searching.
//
// A link is a private class field added to the parsed object itself, through a base class
// whose constructor returns the object it is given. Not a WeakMap: an entry per event cost
// 50 µs per interaction (measured), twice the JSON.parse of its body, and made the GC trace
// ephemerons. Not a symbol-keyed property: that is as fast, but shows in the parsed data
// (equality, spread copies, inspection) as a cycle; made non-enumerable with
// Object.defineProperty it cost 30% more parse time. A private field is stored like a
// property and seen by nothing but the class that declares it.

/** Lets a subclass's constructor add its private fields to an existing object. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- its constructor is the point
class Existing {
  constructor(object: object) {
    return object;
  }
}

class ParentLink extends Existing {
  readonly #parent: object;
  constructor(child: object, parent: object) {
    super(child);
    this.#parent = parent;
  }
  static of(child: object): object {
    return (child as ParentLink).#parent;
  }
}

/** For parse.ts, as it checks each channel and each event of a body. */
export function linkParent(child: object, parent: object): void {
  new ParentLink(child, parent);
}

export function channelOf(event: EventDto): ChannelDto {
  return ParentLink.of(event) as ChannelDto;
}

export function interactionOf(channel: ChannelDto): InteractionDto {
  return ParentLink.of(channel) as InteractionDto;
}
