# syntax=docker/dockerfile:1
# Both stages are on one Node 24 LTS image, pinned by tag (what it is) and index digest (what is pulled). To move it:
# take the newest node:24.x.y-bookworm-slim tag (https://hub.docker.com/_/node; the docker-library/official-images
# file library/node lists each release's tags), its index digest from docker-library/repo-info
# (repos/node/remote/<tag>.md) or `docker buildx imagetools inspect node:<tag>`, change both FROM lines together, and
# keep it only if the tests and CI pass on that Node version. bookworm is Node 24's default Debian (tini comes from it).
# Build stage: install everything and compile the service (src/ only: development tools are not part of it).
FROM node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# The development tools (the BLS and Census API stub servers), built apart into dist-tools/ for
# `docker compose --profile stubs` (which runs each stub with its own command).
# Never part of the service's image below.
FROM build AS tools
COPY tools ./tools
RUN npm run build:tools
USER node
EXPOSE 8090 8091
CMD ["node", "dist-tools/tools/bls-stub/main.js"]

# Production dependencies only.
FROM build AS production-dependencies
RUN npm prune --omit=dev

# Runtime stage (the default target): the compiled app and its production dependencies, run as the unprivileged
# `node` user.
FROM node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553
ENV NODE_ENV=production PORT=8000 HOST=0.0.0.0
# tini (Debian's package) runs as PID 1: it forwards SIGTERM/SIGINT to node, which drains and exits 0 by itself (see
# src/main.ts), reaps orphaned children, and exits with node's status.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=production-dependencies --chown=node:node /app/package.json ./package.json
COPY --from=production-dependencies --chown=node:node /app/node_modules ./node_modules
COPY --from=production-dependencies --chown=node:node /app/dist ./dist
# Without DATABASE_URL the embedded PostgreSQL lives in DATA_DIR (./data): writable by `node`; mount a volume there
# to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/benchmarks/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
