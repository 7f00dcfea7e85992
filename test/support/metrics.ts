import type { Harness } from './harness.js';

/** stats_gateway_upstream_shared_total by result (hit, shared, miss), as /metrics has it now. */
export async function sharedCounts(harness: Harness): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', harness.gateway.url))).text();
  const counts: Record<string, number> = {};
  for (const [, result = '', value] of text.matchAll(
    /^stats_gateway_upstream_shared_total\{result="(\w+)"\} (\d+)$/gm,
  )) {
    counts[result] = Number(value);
  }
  return counts;
}
