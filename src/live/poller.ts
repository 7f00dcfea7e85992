import { randomUUID } from 'node:crypto';
import { credentialKey } from '../upstream/credential.js';
import type { Logger } from '../telemetry/logger.js';
import type { StatsClient, UpstreamCaller } from '../upstream/statsClient.js';
import { UpstreamError, type UpstreamErrorKind } from '../upstream/upstreamError.js';
import { visitKey } from '../model/queueStats.js';
import type {
  InteractionDto,
  InteractionPageDto,
  QueueTypeDto,
  QueueVisitDto,
  WindowParams,
} from '../upstream/types.js';
import { ChangeTracker, pageSignature } from './changeTracker.js';

/** The Stats API lists a live feed polls; queue visits one feed per queue type. */
export type Endpoint = 'interactions' | 'ongoing' | `queue-times:${QueueTypeDto}`;

/** The queue type a queue-times feed polls; `undefined` for the other feeds. */
export function queueTypeOf(endpoint: Endpoint): QueueTypeDto | undefined {
  return endpoint.startsWith('queue-times:')
    ? (endpoint.slice('queue-times:'.length) as QueueTypeDto)
    : undefined;
}

/** What a poll hands to the token's subscribers. */
export type FeedMessage =
  /** Interactions new or changed since the last poll (`GET /interactions`). */
  | { kind: 'changes'; items: InteractionDto[] }
  /** Queue visits new or changed since the last poll (`GET /queue-times`). */
  | { kind: 'visits'; items: QueueVisitDto[] }
  /** The whole ongoing list, when it differs from the last one (`GET /interactions/ongoing`). */
  | { kind: 'ongoing'; page: InteractionPageDto }
  /** Upstream refused the token (401 or 403): its subscriptions end. */
  | { kind: 'ended'; reason: Extract<UpstreamErrorKind, 'UNAUTHORIZED' | 'FORBIDDEN'> };

/** Where a poller stands, so that another replica taking over resumes instead of repeating. */
export interface PollerState {
  /** The next `start` for `GET /interactions` or `/queue-times`: upstream's last `upTo`. */
  cursor?: string;
  /** Digests of the interactions (or queue visits) already sent, by guid (or visit key). */
  digests?: Iterable<[string, string]>;
  /** The ongoing list last sent. */
  ongoing?: InteractionPageDto;
}

/** After each successful poll: what changed in the state, for a replica to resume from. */
export interface PollProgress {
  cursor?: string;
  digests: [string, string][];
  forgotten: string[];
  /** The ongoing list, when it changed. */
  ongoing?: InteractionPageDto;
}

export type PollOutcome = 'ok' | Lowercase<UpstreamErrorKind>;

export interface PollerOptions {
  client: StatsClient;
  authorization: string;
  endpoint: Endpoint;
  pollMs: number;
  logger: Logger;
  deliver(message: FeedMessage): void;
  onProgress?(progress: PollProgress): void;
  onPoll?(endpoint: Endpoint, outcome: PollOutcome): void;
}

// Upstream's largest page (stats-api.md 2.4): one request per interval in all but extreme cases.
const PAGE_LIMIT = 5000;
// More pages than this in one interval means the interval is far too long for the account.
const MAX_PAGES = 20;
// A guid or visit not returned for this long is forgotten (changeTracker.ts).
const FORGET_AFTER_MS = 60 * 60 * 1000;

/** One page of a window list, as both `GET /interactions` and `GET /queue-times` answer. */
interface WindowPage<T> {
  meta: InteractionPageDto['meta'];
  items: T[];
  upTo?: string | null;
}

/**
 * Polls one Stats API list for one token, as upstream recommends (stats-api.md 5.3): one
 * request per interval, `GET /interactions?start=<previous upTo>&include=Processed`
 * de-duplicated by guid, the same of `GET /queue-times` de-duplicated by interaction, queue and
 * entry time, or `GET /interactions/ongoing`. Only what changed is delivered.
 * 429 and 5xx are tried again on the next interval, or after upstream's `Retry-After` if that
 * is later; 401 and 403 end the feed.
 */
export class Poller {
  private readonly interactions = new ChangeTracker<InteractionDto>(
    FORGET_AFTER_MS,
    (item) => item.guid,
  );
  private readonly visits = new ChangeTracker<QueueVisitDto>(FORGET_AFTER_MS, visitKey);
  private readonly controller = new AbortController();
  private readonly tokenKey: string;
  private cursor: string | undefined;
  private ongoing: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: PollerOptions) {
    this.tokenKey = credentialKey(options.authorization);
  }

  start(state: PollerState = {}): void {
    this.cursor = state.cursor;
    const tracker = queueTypeOf(this.options.endpoint) ? this.visits : this.interactions;
    if (state.digests) tracker.load(state.digests, Date.now());
    if (state.ongoing) this.ongoing = pageSignature(state.ongoing);
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller.abort(new Error('The live feed stopped'));
  }

  private async poll(): Promise<void> {
    const started = Date.now();
    let delayMs = this.options.pollMs;
    let outcome: PollOutcome = 'ok';
    try {
      await this.pollOnce(started);
    } catch (error) {
      const failure =
        error instanceof UpstreamError
          ? error
          : new UpstreamError('BAD_RESPONSE', 'Live poll failed', { cause: error });
      if (this.stopped) return;
      outcome = failure.kind.toLowerCase() as PollOutcome;
      delayMs = this.failed(failure, delayMs);
    }
    this.options.onPoll?.(this.options.endpoint, outcome);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(0, started + delayMs - Date.now()));
  }

  /** What a failed poll means for the feed; returns the delay before the next poll. */
  private failed(failure: UpstreamError, delayMs: number): number {
    const { endpoint } = this.options;
    if (failure.kind === 'UNAUTHORIZED' || failure.kind === 'FORBIDDEN') {
      this.options.logger.info({ endpoint, kind: failure.kind }, 'live feed ended by upstream');
      this.stopped = true;
      this.options.deliver({ kind: 'ended', reason: failure.kind });
      return delayMs;
    }
    // A window upstream refuses will not become acceptable: start again from now.
    if (failure.kind === 'BAD_REQUEST') this.cursor = undefined;
    this.options.logger.warn(
      { endpoint, kind: failure.kind, status: failure.details.status },
      'live poll failed; trying again next interval',
    );
    const retryAfterMs = (failure.details.retryAfterSeconds ?? 0) * 1000;
    return Math.max(delayMs, retryAfterMs);
  }

  private caller(started: number): UpstreamCaller {
    return {
      authorization: this.options.authorization,
      tokenKey: this.tokenKey,
      requestId: `live-${randomUUID()}`,
      signal: this.controller.signal,
      // The client's own retries must fit in the interval; later ones wait for the next poll.
      deadline: started + this.options.pollMs,
      logger: this.options.logger,
      usage: { calls: 0, retries: 0 },
    };
  }

  private pollOnce(started: number): Promise<void> {
    const { client, endpoint } = this.options;
    const caller = this.caller(started);
    const queueType = queueTypeOf(endpoint);
    if (queueType) {
      return this.pollWindow(
        started,
        this.visits,
        (params) => client.getQueueTimes({ ...params, queueType }, caller),
        (items) => ({ kind: 'visits', items }),
      );
    }
    if (endpoint === 'ongoing') return this.pollOngoing(caller);
    return this.pollWindow(
      started,
      this.interactions,
      (params) => client.getInteractions(params, caller),
      (items) => ({ kind: 'changes', items }),
    );
  }

  /** One interval of a window list: every page from the last `upTo`, what changed delivered. */
  private async pollWindow<T extends object>(
    started: number,
    tracker: ChangeTracker<T>,
    fetch: (params: WindowParams) => Promise<WindowPage<T>>,
    message: (items: T[]) => FeedMessage,
  ): Promise<void> {
    // The first poll looks back one interval, so a change just before subscribing is not lost.
    const start = this.cursor ?? new Date(started - this.options.pollMs).toISOString();
    const query = { start, include: 'Processed', limit: PAGE_LIMIT } as const;
    const first = await fetch({ ...query, page: 1 });
    const items = [...first.items];
    // Later pages of the same window: `end` pins it to what the first page saw.
    const end = first.upTo ?? new Date(started).toISOString();
    const pages = Math.min(first.meta.pageCount, MAX_PAGES);
    if (first.meta.pageCount > MAX_PAGES) {
      this.options.logger.warn(
        { pageCount: first.meta.pageCount, read: MAX_PAGES },
        'live poll window too full to read whole: lower LIVE_POLL_MS',
      );
    }
    for (let page = 2; page <= pages; page++) {
      const next = await fetch({ ...query, end, page });
      items.push(...next.items);
    }
    // Stopped meanwhile (its last subscriber left, or another replica took the lease).
    if (this.stopped) return;
    const now = Date.now();
    this.cursor = end;
    const changed = tracker.changes(items, now);
    const forgotten = tracker.forget(now);
    if (changed.length > 0) this.options.deliver(message(changed));
    const digests = tracker.digests(changed.map(tracker.keyOf));
    this.options.onProgress?.({ cursor: end, digests, forgotten });
  }

  private async pollOngoing(caller: UpstreamCaller): Promise<void> {
    const params = { page: 1, limit: PAGE_LIMIT };
    const page = await this.options.client.getOngoingInteractions(params, caller);
    if (this.stopped) return;
    const signature = pageSignature(page);
    const changed = signature !== this.ongoing;
    if (changed) {
      this.ongoing = signature;
      this.options.deliver({ kind: 'ongoing', page });
    }
    this.options.onProgress?.({ digests: [], forgotten: [], ongoing: changed ? page : undefined });
  }
}
