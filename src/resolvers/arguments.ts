import { badUserInput } from '../errors.js';
import type { ServiceLevelRule } from '../model/queueStats.js';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A guid argument must be 8-4-4-4-12 hexadecimal before it may reach an upstream URL: this is
 * what keeps `../`, encoded slashes and query strings out of the Stats API path.
 */
export function checkGuid(value: string, argument: string): string {
  if (!GUID.test(value)) {
    throw badUserInput(argument, 'expected a GUID (8-4-4-4-12 hexadecimal digits)');
  }
  return value;
}

/** Upstream's documented cap on `end - start`. */
const MAX_WINDOW_DAYS = 31;
const MAX_WINDOW_MS = MAX_WINDOW_DAYS * 24 * 60 * 60 * 1000;
const MAX_LIMIT = 5000;

export function checkPage(page: number, limit: number): { page: number; limit: number } {
  if (page < 1) throw badUserInput('page', `must be 1 or more, got ${page}`);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw badUserInput('limit', `must be from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  return { page, limit };
}

/** The window as upstream wants it: ISO 8601 UTC, at most 31 days, `end` not before `start`. */
export function checkWindow(
  start: Date,
  end: Date | null | undefined,
  now = Date.now(),
): { start: string; end?: string } {
  const until = end ? end.getTime() : now;
  const which = end ? 'end' : 'start';
  if (until < start.getTime()) {
    throw badUserInput(
      which,
      end
        ? 'must not be before start'
        : 'must not be in the future when end is omitted (end defaults to now)',
    );
  }
  if (until - start.getTime() > MAX_WINDOW_MS) {
    throw badUserInput(
      which,
      `the window from start to ${end ? 'end' : 'now'} must be at most ${MAX_WINDOW_DAYS} days`,
    );
  }
  return end
    ? { start: start.toISOString(), end: end.toISOString() }
    : { start: start.toISOString() };
}

/** Queue names go upstream comma-separated, so a name may not hold a comma. */
const MAX_QUEUES = 100;

export function checkQueues(
  queues: readonly string[] | null | undefined,
): readonly string[] | undefined {
  if (queues == null) return undefined;
  if (queues.length === 0 || queues.length > MAX_QUEUES) {
    throw badUserInput(
      'queues',
      `name from 1 to ${MAX_QUEUES} queues, or leave it out for every queue; got ${queues.length}`,
    );
  }
  queues.forEach((queue, i) => {
    if (queue.trim() === '' || queue.includes(',')) {
      throw badUserInput(`queues[${i}]`, 'a queue name must not be empty or hold a comma');
    }
  });
  return queues;
}

/** The rule's settings as given, defaults for the ones left out or null. */
export interface RuleInput {
  targetTimeToAnswer?: number | null;
  includeBreakouts?: boolean | null;
  shortAbandonTime?: number | null;
}

export function checkRule(rule: RuleInput | null | undefined): ServiceLevelRule {
  const checked = {
    targetTimeToAnswer: rule?.targetTimeToAnswer ?? 20_000,
    includeBreakouts: rule?.includeBreakouts ?? true,
    shortAbandonTime: rule?.shortAbandonTime ?? 0,
  };
  for (const name of ['targetTimeToAnswer', 'shortAbandonTime'] as const) {
    if (checked[name] < 0) {
      throw badUserInput(`serviceLevel.${name}`, `must be 0 or more, got ${checked[name]}`);
    }
  }
  return checked;
}

/** How far back a live queue report may start: its visits are read whole when it starts. */
const MAX_LIVE_BACK_MS = 24 * 60 * 60 * 1000;

export function checkLiveStart(start: Date, now = Date.now()): number {
  const time = start.getTime();
  if (time > now) throw badUserInput('start', 'must not be in the future');
  if (now - time > MAX_LIVE_BACK_MS) throw badUserInput('start', 'must be at most 24 hours ago');
  return time;
}
