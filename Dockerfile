# syntax=docker/dockerfile:1
# The service as one self-contained executable (npm run build:binary, the build CI runs and
# smoke-tests) on a distroless base: no shell, no package manager, no Node.js installation beside it.
#
# Node.js 26 is the Active LTS line (LTS since 2026-10-28; 24 is in maintenance since 2026-10-20).
# The executable embeds the Node.js of the build stage, so that is the runtime that ships.
#
#   docker build -t ocis-collaboration .
#   docker run --rm -p 9300:9300 -p 9304:9304 ocis-collaboration
ARG NODE_IMAGE=node:26-trixie-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-binary.mjs ./scripts/
COPY proto ./proto
COPY src ./src
RUN npm run build:binary \
 && ./build/bin/ocis-collaboration help > /dev/null \
 && mkdir -p /out/var/lib/collaboration

# libc, libstdc++ and libgcc are all the executable needs; user nonroot is 65532:65532.
FROM ${RUNTIME_IMAGE}
COPY --from=build /src/build/bin/ocis-collaboration /usr/local/bin/ocis-collaboration
COPY --from=build --chown=65532:65532 /out/var/lib/collaboration /var/lib/collaboration
ENV COLLABORATION_HTTP_ADDR=0.0.0.0:9300 \
    COLLABORATION_GRPC_ADDR=0.0.0.0:9301 \
    COLLABORATION_DEBUG_ADDR=0.0.0.0:9304 \
    COLLABORATION_LOCAL_ROOT=/var/lib/collaboration
USER 65532:65532
WORKDIR /var/lib/collaboration
VOLUME ["/var/lib/collaboration"]
EXPOSE 9300 9301 9304
# No curl in the image: the executable asks its own debug listener (/healthz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/ocis-collaboration", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/ocis-collaboration"]
