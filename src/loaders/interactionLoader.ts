import DataLoader from 'dataloader';
import type { StatsClient, UpstreamCaller } from '../upstream/statsClient.js';
import type { InteractionDto } from '../upstream/types.js';
import type { InteractionPages } from './interactionPages.js';

export type InteractionLoader = DataLoader<string, InteractionDto | null>;

/**
 * One per operation and caller: every interaction fetch in an operation goes through it, so
 * each distinct guid is fetched once, and not at all when a list in the same operation already
 * returned it. The Stats API has no multi-guid endpoint, so a batch becomes concurrent single
 * GETs, as many at a time as the client's limiter allows this caller. Each key gets its own
 * result: the interaction, `null` (404), or the Error for that guid alone.
 */
export function createInteractionLoader(
  client: StatsClient,
  caller: UpstreamCaller,
  pages: InteractionPages,
  onBatch: (size: number) => void,
): InteractionLoader {
  const fetch = async (guid: string) =>
    (await pages.listedInteraction(guid)) ?? client.getInteraction(guid, caller);
  return new DataLoader((guids) => {
    onBatch(guids.length);
    return Promise.all(
      guids.map((guid) =>
        fetch(guid).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        ),
      ),
    );
  });
}
