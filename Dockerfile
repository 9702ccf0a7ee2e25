# syntax=docker/dockerfile:1
# Multi-stage build: compile with the dev dependencies, ship only the production ones.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY proto ./proto
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    COLLABORATION_HTTP_ADDR=0.0.0.0:9300 \
    COLLABORATION_GRPC_ADDR=0.0.0.0:9301 \
    COLLABORATION_DEBUG_ADDR=0.0.0.0:9304 \
    COLLABORATION_LOCAL_ROOT=/var/lib/collaboration
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/proto ./proto
RUN mkdir -p /var/lib/collaboration && chown node:node /var/lib/collaboration
USER node
VOLUME ["/var/lib/collaboration"]
EXPOSE 9300 9301 9304
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9304/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/main.js"]
