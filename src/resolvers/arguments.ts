import { badUserInput } from '../errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
