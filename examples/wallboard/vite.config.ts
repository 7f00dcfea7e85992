import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run build` puts the wallboard in dist/wallboard/, which the gateway serves at
// /wallboard/. `npm run wallboard:dev` serves it from here instead, with the GraphQL endpoint
// (HTTP and WebSocket) passed to a gateway already running at GATEWAY_URL.
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/wallboard/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/wallboard/', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/graphql': {
        target: gateway,
        ws: true,
        changeOrigin: true,
        // The gateway takes WebSockets from its own origin (or CORS_ORIGINS): through this
        // proxy the page is served as if by the gateway itself.
        configure: (proxy) =>
          proxy.on('proxyReqWs', (request) => request.setHeader('origin', new URL(gateway).origin)),
      },
    },
  },
});
