import { tooManyVisits } from '../errors.js';
import { allPages, PAGE_LIMIT } from './allPages.js';
import type { StatsClient, UpstreamCaller } from '../upstream/statsClient.js';
import type { QueueTimesParams, QueueVisitDto } from '../upstream/types.js';

/** The window's visits, and when upstream served them (the window's end when none was given). */
export interface AllVisits {
  visits: QueueVisitDto[];
  upTo: string | undefined;
}

/**
 * Reads every page of a `GET /queue-times` window: the first page says how many visits there
 * are, and a window holding more than `maxVisits` is refused (RESULT_TOO_LARGE) before any
 * other page is read. The others are then fetched concurrently, with `end` pinned to what the
 * first one saw so that they page through the same window. One failed page fails the whole.
 */
export async function allQueueVisits(
  client: StatsClient,
  caller: UpstreamCaller,
  params: Omit<QueueTimesParams, 'page' | 'limit'>,
  maxVisits: number,
): Promise<AllVisits> {
  const query = { ...params, limit: PAGE_LIMIT };
  const first = await client.getQueueTimes({ ...query, page: 1 }, caller);
  const { totalCount, pageCount } = first.meta;
  if (totalCount > maxVisits || pageCount > Math.ceil(maxVisits / PAGE_LIMIT)) {
    throw tooManyVisits(maxVisits, totalCount);
  }
  const end = params.end ?? first.upTo ?? undefined;
  const rest = await allPages(pageCount, (page) =>
    client.getQueueTimes({ ...query, end, page }, caller),
  );
  return {
    visits: [first, ...rest].flatMap((page) => page.items),
    upTo: first.upTo ?? undefined,
  };
}
