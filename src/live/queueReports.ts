import {
  QueueStatsLedger,
  type QueueStatsReportModel,
  type ServiceLevelRule,
} from '../model/queueStats.js';
import { waitingCalls, type Waiting } from '../model/waiting.js';
import type { InteractionDto, QueueVisitDto } from '../upstream/types.js';
import type { FeedMessage } from './poller.js';

/** What a live queue report starts from: its window read whole, and the calls in progress. */
export interface QueueReportStart {
  visits: QueueVisitDto[];
  ongoing: InteractionDto[];
}

/** What a live queue report covers. */
export interface QueueReportScope {
  start: number;
  /** Only these queues; every queue when omitted. */
  queues?: ReadonlySet<string>;
  rule: ServiceLevelRule;
}

/**
 * One subscriber's queue report for [start, now], kept up to date from the token's feeds: each
 * `visits` message adds to (or corrects) the sums, each `ongoing` message gives the waiting
 * calls. Messages that arrive while the window is still being read are kept and applied after
 * it, so that nothing between the read and the first poll is lost. A report is made only when
 * the figures differ from the last one made; `longestWaiting` and `end` grow with the clock
 * alone, so they are left out of that comparison.
 */
export class LiveQueueReport {
  private readonly ledger: QueueStatsLedger;
  private waiting: Waiting = new Map();
  private early: FeedMessage[] | undefined = [];
  private last: string | undefined;

  constructor(private readonly scope: QueueReportScope) {
    this.ledger = new QueueStatsLedger(scope.rule, scope.start);
  }

  /** Applies the window's read and what came meanwhile; the first report. */
  begin({ visits, ongoing }: QueueReportStart): QueueStatsReportModel {
    this.ledger.add(this.inScope(visits));
    this.waiting = waitingCalls(ongoing, this.scope.queues);
    const early = this.early ?? [];
    this.early = undefined;
    for (const message of early) this.apply(message);
    return this.report(true) as QueueStatsReportModel;
  }

  /** A feed's message: the new report when the figures changed, else `undefined`. */
  receive(message: FeedMessage): QueueStatsReportModel | undefined {
    if (this.early) {
      this.early.push(message);
      return undefined;
    }
    return this.apply(message) ? this.report(false) : undefined;
  }

  /** Whether the message may have changed the figures. */
  private apply(message: FeedMessage): boolean {
    if (message.kind === 'visits') return this.ledger.add(this.inScope(message.items));
    if (message.kind === 'ongoing') {
      this.waiting = waitingCalls(message.page.items, this.scope.queues);
      return true;
    }
    return false;
  }

  private inScope(visits: QueueVisitDto[]): QueueVisitDto[] {
    const { queues } = this.scope;
    return queues ? visits.filter((visit) => queues.has(visit.queue ?? '')) : visits;
  }

  private report(always: boolean): QueueStatsReportModel | undefined {
    const report = this.ledger.report(new Date(), this.waiting);
    const signature = JSON.stringify(
      [
        report.queues,
        report.total,
        [...this.waiting].map(([queue, since]) => [queue, [...since].sort()]),
      ],
      (key, value: unknown) => (key === 'longestWaiting' ? undefined : value),
    );
    if (!always && signature === this.last) return undefined;
    this.last = signature;
    return report;
  }
}
