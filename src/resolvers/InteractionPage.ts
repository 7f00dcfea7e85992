import type { InteractionPageResolvers } from '../__generated__/resolvers.js';

/** A list endpoint's answer: upstream nests its counts in `meta`. */
interface Paged {
  meta: { page: number; count: number; pageCount: number; totalCount: number };
  upTo?: string | null;
}

// The schema flattens `meta`; every page type (InteractionPage, QueueVisitPage) shares these.
export const pageCounts = {
  page: (page: Paged) => page.meta.page,
  count: (page: Paged) => page.meta.count,
  pageCount: (page: Paged) => page.meta.pageCount,
  totalCount: (page: Paged) => page.meta.totalCount,
  upTo: (page: Paged) => page.upTo ?? null,
};

export const InteractionPage: InteractionPageResolvers = {
  items: (page, _, ctx) => ctx.result.serve(page.items),
  ...pageCounts,
};
