import type { QueueVisitDto } from '../upstream/types.js';
import type { Waiting } from './waiting.js';

// The queue KPIs, defined once (docs/clients.md, "Queue analytics"): what each visit adds to
// its queue's sums, and the figures made from the sums. Pure, so that every formula can be
// checked against fixtures computed by hand.

/** How the service-level figures count (the schema's ServiceLevelRule, defaults applied). */
export interface ServiceLevelRule {
  targetTimeToAnswer: number;
  includeBreakouts: boolean;
  shortAbandonTime: number;
}

/** The visits a queue's figures count, by what became of them. */
interface Counts {
  offered: number;
  answered: number;
  answeredWithinTarget: number;
  abandoned: number;
  shortAbandoned: number;
  breakouts: number;
}

export interface QueueStatsModel extends Counts {
  queue: string | null;
  serviceLevel: number | null;
  abandonmentRate: number | null;
  averageSpeedOfAnswer: number | null;
  longestWait: number | null;
  waiting: number | null;
  longestWaiting: number | null;
}

export interface QueueStatsReportModel {
  start: Date;
  end: Date;
  total: QueueStatsModel;
  queues: QueueStatsModel[];
}

/** A queue's running sums: what its visits add, and take away again when one is replaced. */
interface Sums extends Counts {
  /** Answered visits with a duration, and the sum of those durations (for the mean). */
  timedAnswers: number;
  answerTime: number;
}

const zero = (): Sums => ({
  offered: 0,
  answered: 0,
  answeredWithinTarget: 0,
  abandoned: 0,
  shortAbandoned: 0,
  breakouts: 0,
  timedAnswers: 0,
  answerTime: 0,
});

/**
 * Adds one visit to the sums (`sign` 1), or takes it away (-1), by its category; other
 * categories count in `offered` only. In place, allocating nothing: a month's report adds
 * some 50,000 visits.
 */
function count(sums: Sums, visit: QueueVisitDto, rule: ServiceLevelRule, sign: 1 | -1): void {
  const duration = visit.duration;
  sums.offered += sign;
  switch (visit.category) {
    case 'Answered': {
      sums.answered += sign;
      if (duration == null) return;
      const target = visit.targets?.targetTimeToAnswer ?? rule.targetTimeToAnswer;
      if (duration <= target) sums.answeredWithinTarget += sign;
      sums.timedAnswers += sign;
      sums.answerTime += sign * duration;
      return;
    }
    case 'Abandoned':
      if (duration != null && duration < rule.shortAbandonTime) sums.shortAbandoned += sign;
      else sums.abandoned += sign;
      return;
    case 'Breakout':
      sums.breakouts += sign;
      return;
  }
}

function addSums(into: Sums, from: Sums): void {
  for (const key in from) into[key as keyof Sums] += from[key as keyof Sums];
}

/** One queue's visits (by key) and their sums. */
class QueueLedger {
  readonly sums = zero();
  readonly visits = new Map<string, QueueVisitDto>();
  private longest: number | null = null;
  /** A visit holding the longest duration was replaced: find it again when asked. */
  private stale = false;

  add(key: string, visit: QueueVisitDto, rule: ServiceLevelRule): void {
    const before = this.visits.get(key);
    if (before) {
      count(this.sums, before, rule, -1);
      if (before.duration != null && before.duration === this.longest) this.stale = true;
    }
    this.visits.set(key, visit);
    count(this.sums, visit, rule, 1);
    const duration = visit.duration;
    if (duration != null && (this.longest === null || duration > this.longest)) {
      this.longest = duration;
    }
  }

  longestWait(): number | null {
    if (this.stale) {
      this.stale = false;
      this.longest = null;
      for (const { duration } of this.visits.values()) {
        if (duration != null && (this.longest === null || duration > this.longest)) {
          this.longest = duration;
        }
      }
    }
    return this.longest;
  }
}

/** Which visit a row is: upstream returns the same one again in later `Processed` windows. */
export function visitKey(visit: QueueVisitDto): string {
  return `${visit.interactionGuid ?? ''}|${visit.queue ?? ''}|${visit.start ?? ''}`;
}

/**
 * The visits that entered a queue in [`start`, `end`), one ledger per queue, kept up to date as
 * visits come and change: a later copy of a visit replaces the earlier one in every sum.
 */
export class QueueStatsLedger {
  private readonly queues = new Map<string, QueueLedger>();

  constructor(
    private readonly rule: ServiceLevelRule,
    private readonly start: number,
    private readonly end = Infinity,
  ) {}

  /** Adds the visits in the window (others are ignored); returns whether any counted. */
  add(visits: Iterable<QueueVisitDto>): boolean {
    let counted = false;
    for (const visit of visits) {
      const entered = Date.parse(visit.start ?? '');
      if (!(entered >= this.start && entered < this.end) || visit.queue == null) continue;
      let ledger = this.queues.get(visit.queue);
      if (!ledger) {
        ledger = new QueueLedger();
        this.queues.set(visit.queue, ledger);
      }
      ledger.add(visitKey(visit), visit, this.rule);
      counted = true;
    }
    return counted;
  }

  /**
   * The report for the window up to `end`. With `waiting` (the window reaches now), each queue
   * gets its calls waiting at `end`, and a queue with waiting calls appears even without visits.
   */
  report(end: Date, waiting?: Waiting): QueueStatsReportModel {
    const names = new Set([...this.queues.keys(), ...(waiting?.keys() ?? [])]);
    const queues = [...names].sort().map((name) => {
      const ledger = this.queues.get(name);
      const since = waiting?.get(name);
      return figures(name, ledger?.sums ?? zero(), this.rule, {
        longestWait: ledger?.longestWait() ?? null,
        waiting: waiting ? (since?.length ?? 0) : null,
        longestWaiting: since?.length ? end.getTime() - Math.min(...since) : null,
      });
    });
    const all = total(queues, this.queues, this.rule, waiting !== undefined);
    return { start: new Date(this.start), end, total: all, queues };
  }
}

/** The figures not made from the sums. */
interface Extremes {
  longestWait: number | null;
  waiting: number | null;
  longestWaiting: number | null;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

function figures(
  queue: string | null,
  sums: Sums,
  rule: ServiceLevelRule,
  extremes: Extremes,
): QueueStatsModel {
  const { offered, answered, answeredWithinTarget, abandoned, shortAbandoned, breakouts } = sums;
  const handled = answered + abandoned + (rule.includeBreakouts ? breakouts : 0);
  return {
    queue,
    offered,
    answered,
    answeredWithinTarget,
    abandoned,
    shortAbandoned,
    breakouts,
    serviceLevel: percent(answeredWithinTarget, handled),
    abandonmentRate: percent(abandoned, offered - shortAbandoned),
    averageSpeedOfAnswer:
      sums.timedAnswers === 0 ? null : Math.round(sums.answerTime / sums.timedAnswers),
    ...extremes,
  };
}

const largest = (values: (number | null)[]) =>
  values.reduce<number | null>(
    (max, v) => (v !== null && (max === null || v > max) ? v : max),
    null,
  );

/** Every queue together: the sums added up, the longest of the longest, the waiting summed. */
function total(
  queues: QueueStatsModel[],
  ledgers: ReadonlyMap<string, QueueLedger>,
  rule: ServiceLevelRule,
  reachesNow: boolean,
): QueueStatsModel {
  const sums = zero();
  for (const ledger of ledgers.values()) addSums(sums, ledger.sums);
  return figures(null, sums, rule, {
    longestWait: largest(queues.map((q) => q.longestWait)),
    waiting: reachesNow ? queues.reduce((n, q) => n + (q.waiting ?? 0), 0) : null,
    longestWaiting: largest(queues.map((q) => q.longestWaiting)),
  });
}
