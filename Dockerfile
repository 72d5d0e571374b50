# syntax=docker/dockerfile:1
#
# One image for Mailroom's three apps: api, worker and webhooks. Each is compiled by esbuild into one
# CommonJS file, apps/<app>/dist/main.js (scripts/build-apps.mjs, decision 0074), run by plain node, and
# configured only by environment variables (packages/config/src/env-schema.ts; every one is documented
# in .env.example).
#
# The default command starts the API. docker-compose.yml overrides `command` per service:
#   api       ["node", "--max-semi-space-size=64", "--interrupt-budget=16384",
#              "apps/api/dist/main.js"]                                    port 8080 (the V8 flags: decisions 0049, 0069)
#   worker    ["node", "--initial-old-space-size=32", "--heap-growing-percent=50", "--interrupt-budget=16384",
#              "apps/worker/dist/main.js"]                                 port 8082 (health, /metrics; the V8 flags: decisions 0041, 0069)
#   webhooks  ["node", "apps/webhooks/dist/main.js"]                       port 8081
# Each app's V8 flags are listed once in infra/node-flags.json (the quick start and the benchmark read
# it); e2e/node-flags.test.ts fails when a command here or in compose gives others.
# node itself (no wrapper) is the container's process, so SIGTERM reaches the app directly and the
# worker drains the jobs in hand before it exits.
#
# HEALTH_PORT names the port the HEALTHCHECK probes: 8080 (the API) unless the container runs another
# app, in which case set it to that app's port (compose does, per service). The HEALTHCHECK asks
# /readyz (the store and Redis answer): "healthy" means ready to work. /healthz is liveness only.
#
# Build:  docker build -t mailroom .
# Run:    docker run --env-file .env -e REDIS_URL=redis://REDIS_HOST:6379 -p 8080:8080 mailroom
#         docker run --env-file .env -e REDIS_URL=... -e HEALTH_PORT=8082 mailroom \
#           node --initial-old-space-size=32 --heap-growing-percent=50 --interrupt-budget=16384 apps/worker/dist/main.js
# (or `docker compose up`, which wires Redis, MongoDB and all three apps: see infra/README.md)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only the workspace's package.json files, so the install layer below is rebuilt when a
# manifest changes, not when any source does (BuildKit keys COPY --from on content).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY apps ./apps
COPY packages ./packages
RUN find apps packages -type f ! -name package.json -delete \
 && find apps packages -type d -empty -delete

# --- deps: node_modules for the whole workspace, native addons built here.
FROM ${NODE_IMAGE} AS deps
# better-sqlite3 is a native addon that pnpm builds (pnpm.onlyBuiltDependencies); when no prebuilt
# binary fits it compiles from source with node-gyp, which needs python3, make and g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Keep in step with "packageManager" in package.json (pnpm would otherwise fetch that version itself).
ARG PNPM_VERSION=10.34.9
RUN npm i -g pnpm@${PNPM_VERSION}
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
# The root postinstall builds the admin screens; here, with only manifests, it says so and skips.
COPY scripts/build-admin-ui.mjs ./scripts/
COPY --from=manifests /app/ ./
# NODE_ENV is deliberately unset here: the build (esbuild) and `pnpm reseal` (tsx) are devDependencies,
# so pnpm must install devDependencies too. The lockfile is the contract: a stale one fails the build.
RUN --mount=type=cache,id=mailroom-pnpm-store,target=/pnpm-store \
    pnpm install --frozen-lockfile --store-dir /pnpm-store

# --- ui: the admin screens (apps/admin-ui, which reads the statuses and suppression reasons of
# packages/domain and the SMTP presets of packages/transports/src/smtp/smtp-presets.ts) built with Vite
# into apps/admin-ui/dist; only that folder goes into the image. A new UI import of another workspace
# package must be copied here too: scripts/check-ui-stage.mjs (e2e/docker-ui-stage.test.ts) builds
# with exactly these COPY lines, without Docker.
FROM deps AS ui
COPY packages/domain ./packages/domain
COPY packages/transports ./packages/transports
COPY apps/admin-ui ./apps/admin-ui
RUN node scripts/build-admin-ui.mjs

# --- apps: each app compiled into apps/<app>/dist (its main, and the API's batch-body thread). The
# packages it loads from node_modules at run time (better-sqlite3, BullMQ, mongodb, the dashboard's, the
# admin UI's) are each app's own dependencies, installed above. scripts/check-apps-stage.mjs
# (e2e/docker-apps-stage.test.ts) compiles with exactly this stage's files, and checks the runtime stage's
# COPY --from=apps lines, without Docker.
FROM deps AS apps
COPY . .
RUN node scripts/build-apps.mjs

# --- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=8080
WORKDIR /app
# node_modules (root and per package, pnpm's relative symlinks intact) and the manifests...
COPY --from=deps /app/ ./
# ...then the sources. .dockerignore keeps out node_modules, data, tests, the testkit's sources and
# certificates, e2e, bench and docs. Files stay owned by root: the app cannot rewrite its own code.
COPY . .
# The built admin screens, served by the API under /ui/.
COPY --from=ui /app/apps/admin-ui/dist ./apps/admin-ui/dist
# The compiled apps, which the commands run.
COPY --from=apps /app/apps/api/dist ./apps/api/dist
COPY --from=apps /app/apps/worker/dist ./apps/worker/dist
COPY --from=apps /app/apps/webhooks/dist ./apps/webhooks/dist
# /data holds the SQLite file (when STORE_URL is not set) and the platform outbox (.eml files when
# PLATFORM_TRANSPORT=file:///data/outbox). Created before VOLUME and owned by node, so a fresh named volume
# mounted here starts writable by the app.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 8081 8082
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 8080) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "--interrupt-budget=16384", "apps/api/dist/main.js"]
