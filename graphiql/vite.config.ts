import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// GraphiQL for LANDING_PAGE=graphiql, built into dist/graphiql/ and served by the gateway at
// /graphiql/ (src/http/staticSite.ts), its page at /graphql (src/graphql/plugins/graphiql.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/graphiql/',
  build: {
    outDir: fileURLToPath(new URL('../dist/graphiql/', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      // React libraries' "use client" markers mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
