import type { InteractionDto } from '../upstream/types.js';

// The stand-in's list endpoints (stats-api.md 2.2 to 2.5): query checks with upstream's 400
// bodies, the `include` matching, and the `{ meta, items, upTo }` envelope.

export type Answer = { status: number; body: object };

const DAY_MS = 24 * 60 * 60 * 1000;
const INCLUDES = ['Started', 'StartedOrEnded', 'Processed'];

export function badRequest(message: string): Answer {
  return { status: 400, body: { message } };
}

function paging(query: URLSearchParams): { page: number; limit: number } | Answer {
  const page = Number(query.get('page') ?? 1);
  const limit = Number(query.get('limit') ?? 25);
  if (
    !Number.isInteger(page) ||
    page < 1 ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 5000
  ) {
    return badRequest('page or limit is a number value outside of the allowed limits');
  }
  return { page, limit };
}

export function envelope(items: readonly unknown[], query: URLSearchParams, now: number): Answer {
  const params = paging(query);
  if ('status' in params) return params;
  const { page, limit } = params;
  const slice = items.slice((page - 1) * limit, page * limit);
  return {
    status: 200,
    body: {
      meta: {
        page,
        count: slice.length,
        pageCount: Math.ceil(items.length / limit),
        totalCount: items.length,
      },
      items: slice,
      upTo: new Date(now).toISOString(),
    },
  };
}

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** What the list endpoints read of an account. */
export interface Listed {
  /** Sorted by `start`. */
  sorted: readonly InteractionDto[];
  /** When interactions changed while the stand-in ran (statsApi.ts `put`), by guid. */
  processedAt: ReadonlyMap<string, number>;
}

/** A window's check and matching: an item matches by when it started, ended or was processed. */
export function matchesWindow(
  query: URLSearchParams,
  now: number,
): Answer | { matches: (started: number, ended: number, processed: readonly number[]) => boolean } {
  const start = time(query.get('start'));
  const end = query.has('end') ? time(query.get('end')) : now;
  if (Number.isNaN(start) || Number.isNaN(end))
    return badRequest('start and end must be ISO 8601 date-times');
  if (end - start > 31 * DAY_MS) return badRequest('Request window size limit exceeded 31 days');
  const include = query.get('include') ?? 'Started';
  if (!INCLUDES.includes(include))
    return badRequest(`include must be one of ${INCLUDES.join(', ')}`);
  const within = (t: number) => t >= start && t < end;
  return {
    matches: (started, ended, processed) =>
      within(started) ||
      (include !== 'Started' && within(ended)) ||
      (include === 'Processed' && processed.some(within)),
  };
}

/** `GET /interactions?start&end&include&page&limit`, `items` sorted by `start`. */
export function interactionsInWindow(
  { sorted, processedAt }: Listed,
  query: URLSearchParams,
  now: number,
): Answer {
  const window = matchesWindow(query, now);
  if ('status' in window) return window;
  const matches = sorted.filter((item) => {
    const started = time(item.start);
    // Processed: categorisation and any change count as processing, and an ongoing
    // interaction is processed now.
    return window.matches(started, started + (item.duration ?? NaN), [
      time(item.categorizedAt),
      processedAt.get(item.guid) ?? NaN,
      item.status === 'Ongoing' ? now : NaN,
    ]);
  });
  return envelope(matches, query, now);
}

/** `GET /interactions/ongoing?page&limit`. */
export function ongoingInteractions(
  { sorted }: Listed,
  query: URLSearchParams,
  now: number,
): Answer {
  return envelope(
    sorted.filter((item) => item.status === 'Ongoing'),
    query,
    now,
  );
}
