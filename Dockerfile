# syntax=docker/dockerfile:1

# Build: compile with the dev dependencies, then keep only the production ones. No install
# scripts run: the build needs none, and none runs in the image either.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit --ignore-scripts
COPY tsconfig.json tsconfig.build.json tsconfig.browser.json ./
COPY schema ./schema
COPY src ./src
# The browser apps (the wallboard, GraphiQL) are built here into dist/; what they are built
# from (React, Apollo Client, GraphiQL, Vite) stays behind with the dev dependencies.
COPY graphiql ./graphiql
COPY examples/wallboard ./examples/wallboard
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: Node, the compiled gateway, its schema and production dependencies, as the unprivileged
# `node` user.
FROM node:26-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "dist/http/healthcheck.js"]
# node itself, not `npm start`: npm does not pass SIGTERM on, and the gateway drains on it.
CMD ["node", "dist/index.js"]
