#!/usr/bin/env bash
# Checks the Prometheus config and alert rules (infra/prometheus), runs the rules' unit tests and
# checks the Grafana dashboard's queries, with promtool (Debian's `prometheus` package carries it).
# When promtool is missing and we are root (as in CI), the package is installed first.
# Exit 0: passed; 1: failed (or promtool could not be installed as root); 2: not run, because
# promtool is missing and we may not install it.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "promtool not found: installing Debian's prometheus package (apt-get install -y --no-install-recommends prometheus)"
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends prometheus >"$log" 2>&1; then
    apt-get update >>"$log" 2>&1 && apt-get install -y --no-install-recommends prometheus >>"$log" 2>&1 || tail -n 20 "$log"
  fi
  rm -f "$log"
fi

if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then why="apt-get install prometheus failed"; else why="no apt-get here"; fi
    echo "promtool could not be installed ($why): the alert rules were NOT tested"
    exit 1
  fi
  echo "promtool not found, and not root to install it: the alert rules were NOT tested."
  echo "Install it with: sudo apt-get install --no-install-recommends prometheus"
  exit 2
fi

# The Grafana dashboard's queries are PromQL too: checked as recording rules ($__rate_interval as 5m).
dashboard_queries=$(mktemp --suffix .yml)
trap 'rm -f "$dashboard_queries"' EXIT
node -e '
  const panels = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).panels;
  const exprs = panels.flatMap((p) => (p.targets || []).map((t) => t.expr.replace(/\$__rate_interval/g, "5m")));
  console.log("groups:\n  - name: dashboard-queries\n    rules:");
  exprs.forEach((e, i) => console.log(`      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(e)}`));
' infra/grafana/dashboards/mailroom.json >"$dashboard_queries" || exit 1

promtool --version 2>&1 | head -n 1
promtool check config --syntax-only infra/prometheus/prometheus.yml &&
  promtool check rules infra/prometheus/alerts.yml &&
  promtool test rules infra/prometheus/alerts.test.yml &&
  echo "Checking the dashboard's queries (infra/grafana/dashboards/mailroom.json)" &&
  promtool check rules "$dashboard_queries"
