// Upstream gives one absolute time, an interaction's `start`; everything else is an offset
// (and a duration) in milliseconds from it.

/**
 * `iso` + `ms`; `null` when either is unknown. A Date rather than a string: the DateTime scalar
 * passes a Date through after a cheap validity check, where it would check a string against
 * its regular expressions and parse it again (measured: 20% of the CPU of a page of timelines).
 */
export function addMs(iso: string | null | undefined, ms: number | null | undefined): Date | null {
  if (iso == null || ms == null) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : new Date(time + ms);
}

/** When something that began `offset` ms after `iso` and lasted `duration` ended; `null` while it runs. */
export function endOf(
  iso: string | null | undefined,
  offset: number | null | undefined,
  duration: number | null | undefined,
): Date | null {
  return duration == null ? null : addMs(iso, (offset ?? 0) + duration);
}
