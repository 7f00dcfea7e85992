import { createHash } from 'node:crypto';
import type { InteractionPageDto } from '../upstream/types.js';

// Each subscriber of an ongoing page compares the page's items by digest: an item, shared by
// all of them and never changed once parsed, is hashed once.
const digests = new WeakMap<object, string>();

/** A digest of everything upstream sent for an item: equal digests, equal items. */
export function contentHash(item: object): string {
  let digest = digests.get(item);
  if (digest === undefined) {
    // Parent links (upstream/parentLinks.ts) are private fields, which JSON leaves out, so a
    // linked item hashes as its body does.
    digest = createHash('sha256').update(JSON.stringify(item)).digest('base64url');
    digests.set(item, digest);
  }
  return digest;
}

/**
 * What a page of ongoing interactions shows: its first `limit` items, each by content, and
 * how many there are. `upTo` is left out: it changes on every poll while nothing else does.
 */
export function pageSignature(page: InteractionPageDto, limit = page.items.length): string {
  const items = page.items.slice(0, limit).map((item) => `${item.guid}:${contentHash(item)}`);
  return `${page.meta.totalCount}|${items.join(',')}`;
}

/** An item's last-seen digest, and when it was last returned. */
export interface Seen {
  hash: string;
  at: number;
}

/**
 * Which items of a poll are new or changed, by key (an interaction's guid; a queue visit's
 * interaction, queue and entry time) and content digest. Upstream's `include=Processed` windows
 * return the same item again, unchanged or not, so only a digest that differs from the one last
 * seen counts. A key not returned for `forgetAfterMs` is forgotten, which bounds the memory a
 * long-running feed holds; upstream only returns an item again when it was processed again, so
 * a forgotten one coming back has changed.
 */
export class ChangeTracker<T extends object> {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly forgetAfterMs: number,
    readonly keyOf: (item: T) => string,
  ) {}

  /** The poll's changed items, the latest copy of each key, in the order upstream sent. */
  changes(items: readonly T[], now: number): T[] {
    const latest = new Map<string, T>();
    for (const item of items) {
      const key = this.keyOf(item);
      latest.delete(key); // a later copy takes the later place
      latest.set(key, item);
    }
    const changed: T[] = [];
    for (const [guid, item] of latest) {
      const hash = contentHash(item);
      const before = this.seen.get(guid);
      this.seen.set(guid, { hash, at: now });
      if (before?.hash !== hash) changed.push(item);
    }
    return changed;
  }

  /** Forgets keys not seen since `now - forgetAfterMs`; returns them. */
  forget(now: number): string[] {
    const dropped: string[] = [];
    for (const [guid, { at }] of this.seen) {
      if (now - at > this.forgetAfterMs) {
        this.seen.delete(guid);
        dropped.push(guid);
      }
    }
    return dropped;
  }

  /** The digests of the keys `changes` returned last, for a replica taking over to resume from. */
  digests(guids: readonly string[]): [string, string][] {
    return guids.flatMap((guid) => {
      const seen = this.seen.get(guid);
      return seen ? [[guid, seen.hash] as [string, string]] : [];
    });
  }

  /** Resumes from another replica's digests. */
  load(digests: Iterable<[string, string]>, now: number): void {
    for (const [guid, hash] of digests) this.seen.set(guid, { hash, at: now });
  }

  get size(): number {
    return this.seen.size;
  }
}
