#!/usr/bin/env bash
# Installs, builds (scripts/build-apps.mjs, inside run-all.mjs) and starts the whole system (API, worker,
# webhooks) on the embedded defaults:
# SQLite under ./data, platform emails written to ./data/outbox, the local Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-pnpm.sh
$PNPM install --frozen-lockfile
node scripts/ensure-redis.mjs
exec node scripts/run-all.mjs
