import type { UpstreamCaller, StatsClient } from '../upstream/statsClient.js';
import { allPages, PAGE_LIMIT } from './allPages.js';
import type {
  InteractionDto,
  InteractionPageDto,
  PageParams,
  WindowParams,
} from '../upstream/types.js';

/**
 * List fetches for one operation, remembering what they listed. The interaction loader asks
 * here before fetching a guid, after waiting for any list still in flight: root fields run in
 * parallel, so `interactions { ... }` beside `interaction(guid)` of a listed item must still
 * cost one upstream call, not two.
 */
export class InteractionPages {
  private readonly listed = new Map<string, InteractionDto>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly client: StatsClient,
    private readonly caller: UpstreamCaller,
  ) {}

  window(params: WindowParams): Promise<InteractionPageDto> {
    return this.track(this.client.getInteractions(params, this.caller));
  }

  ongoing(params: PageParams): Promise<InteractionPageDto> {
    return this.track(this.client.getOngoingInteractions(params, this.caller));
  }

  /** Every interaction in progress, from as many pages as there are. */
  async allOngoing(): Promise<InteractionDto[]> {
    const first = await this.ongoing({ page: 1, limit: PAGE_LIMIT });
    const rest = await allPages(first.meta.pageCount, (page) =>
      this.ongoing({ page, limit: PAGE_LIMIT }),
    );
    return [first, ...rest].flatMap((page) => page.items);
  }

  /** An interaction some list of this operation returned, once no list is in flight. */
  async listedInteraction(guid: string): Promise<InteractionDto | undefined> {
    while (this.pending.size > 0) await Promise.allSettled(this.pending);
    return this.listed.get(guid);
  }

  private track(request: Promise<InteractionPageDto>): Promise<InteractionPageDto> {
    const page = request.then((result) => {
      for (const item of result.items) this.listed.set(item.guid, item);
      return result;
    });
    // Waiters only need to know it is over; the caller of window()/ongoing() gets its error.
    const settled: Promise<unknown> = page
      .catch(() => undefined)
      .finally(() => this.pending.delete(settled));
    this.pending.add(settled);
    return page;
  }
}
