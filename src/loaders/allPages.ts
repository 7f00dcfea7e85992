/** Upstream's largest page (stats-api.md 2.4): a month of a busy account in a few requests. */
export const PAGE_LIMIT = 5000;
// Pages requested at once for one list. The token's limiter window still decides how many are
// in flight; this only keeps one large read from filling the token's wait queue on its own.
const PAGES_AT_ONCE = 16;

/** Pages 2 to `pageCount`, in order, a few at a time; stops asking for more once one fails. */
export async function allPages<T>(
  pageCount: number,
  fetch: (page: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 2;
  let failed = false;
  const worker = async () => {
    while (!failed && next <= pageCount) {
      const page = next++;
      try {
        results[page - 2] = await fetch(page);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.min(PAGES_AT_ONCE, Math.max(0, pageCount - 1));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
