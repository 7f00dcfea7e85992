import type { InteractionDto } from '../upstream/types.js';

// The stand-in's list endpoints (stats-api.md 2.2 to 2.5): query checks with upstream's 400
// bodies, the `include` matching, and the `{ meta, items, upTo }` envelope.

type Answer = { status: number; body: object };

const DAY_MS = 24 * 60 * 60 * 1000;
const INCLUDES = ['Started', 'StartedOrEnded', 'Processed'];

function badRequest(message: string): Answer {
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

function envelope(items: readonly InteractionDto[], query: URLSearchParams, now: number): Answer {
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

/** `GET /interactions?start&end&include&page&limit`, `items` sorted by `start`. */
export function interactionsInWindow(
  { sorted, processedAt }: Listed,
  query: URLSearchParams,
  now: number,
): Answer {
  const start = time(query.get('start'));
  const end = query.has('end') ? time(query.get('end')) : now;
  if (Number.isNaN(start) || Number.isNaN(end))
    return badRequest('start and end must be ISO 8601 date-times');
  if (end - start > 31 * DAY_MS) return badRequest('Request window size limit exceeded 31 days');
  const include = query.get('include') ?? 'Started';
  if (!INCLUDES.includes(include))
    return badRequest(`include must be one of ${INCLUDES.join(', ')}`);
  const within = (t: number) => t >= start && t < end;
  const matches = sorted.filter((item) => {
    const started = time(item.start);
    const ended = started + (item.duration ?? NaN);
    if (within(started)) return true;
    if (include === 'Started') return false;
    if (within(ended)) return true;
    // Processed: categorisation and any change count as processing, and an ongoing
    // interaction is processed now.
    return (
      include === 'Processed' &&
      (within(time(item.categorizedAt)) ||
        within(processedAt.get(item.guid) ?? NaN) ||
        (item.status === 'Ongoing' && within(now)))
    );
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
