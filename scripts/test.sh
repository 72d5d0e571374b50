#!/usr/bin/env bash
# Installs everything and runs every test: typecheck, lint (pnpm lint), format check (pnpm format:check),
# then jest over the whole workspace against the real Redis (started here if none answers), real SMTP
# servers and provider emulators in-process, and the admin screens in headless Chromium (Debian's
# package, installed here when missing). A failed typecheck, lint or format check counts as one
# failure each and is named. Ends with the plain line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-pnpm.sh
$PNPM install --frozen-lockfile || { echo "install failed"; echo "0 passed, 1 failed"; exit 1; }
node scripts/ensure-redis.mjs || { echo "0 passed, 1 failed"; exit 1; }
# The admin UI tests need a browser; a failure here shows up as those tests failing, with the reason.
bash scripts/ensure-chromium.sh || true

typecheck_failed=0
echo "== typecheck"
if ! $PNPM -s typecheck; then typecheck_failed=1; echo "typecheck failed"; fi

lint_failed=0
echo "== lint"
if ! $PNPM -s lint; then lint_failed=1; echo "lint failed (pnpm lint)"; fi

format_failed=0
echo "== format"
if ! $PNPM -s format:check; then format_failed=1; echo "format check failed (pnpm format writes the fix)"; fi

# The Prometheus config, alert rules and their unit tests, and the dashboard's queries (promtool;
# installed when missing and root, as in CI). Not run without promtool: counted as skipped.
rules_failed=0; rules_skipped=0
echo "== alert rules"
bash scripts/test-alert-rules.sh
case $? in 0) ;; 2) rules_skipped=1 ;; *) rules_failed=1; echo "alert rules failed (scripts/test-alert-rules.sh)" ;; esac

echo "== jest"
results=$(mktemp)
NODE_EXTRA_CA_CERTS="$PWD/packages/testkit/certs/ca.pem" npx jest --ci --forceExit --json --outputFile="$results" "$@"
jest_status=$?
summary=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failedSuites = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
  console.log(r.numPassedTests, r.numFailedTests + failedSuites, r.numPendingTests);
' "$results" 2>/dev/null || echo "0 1 0")
read -r passed failed skipped <<<"$summary"
failed=$((failed + typecheck_failed + lint_failed + format_failed))
[ "$typecheck_failed" -eq 0 ] || echo "failed: typecheck"
[ "$lint_failed" -eq 0 ] || echo "failed: lint"
[ "$format_failed" -eq 0 ] || echo "failed: format"
failed=$((failed + rules_failed)); skipped=$((skipped + rules_skipped))
[ "$rules_failed" -eq 0 ] || echo "failed: alert rules"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$jest_status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
