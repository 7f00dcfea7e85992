/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` until it holds; fails after `timeoutMs` rather than hanging the suite. A
 * condition may be async (a request, say): it is awaited, and the limit holds even while one
 * check is still pending.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  let late = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(new Error(`condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const poll = async () => {
    while (!late && !(await condition())) await sleep(20);
  };
  try {
    await Promise.race([poll(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `work` resolves to, or `fallback` once `ms` have passed (the timer goes either way). */
export async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
