import type { InteractionPageResolvers } from '../__generated__/resolvers.js';

// Upstream nests the counts in `meta`; the schema flattens them.
export const InteractionPage: InteractionPageResolvers = {
  items: (page, _, ctx) => ctx.result.serve(page.items),
  page: (page) => page.meta.page,
  count: (page) => page.meta.count,
  pageCount: (page) => page.meta.pageCount,
  totalCount: (page) => page.meta.totalCount,
  upTo: (page) => page.upTo ?? null,
};
