#!/usr/bin/env bash
# The admin screens' end-to-end tests drive Debian's Chromium (Playwright's own browser download is
# not used). Installs it with apt-get when it is missing, and says so. CHROMIUM_PATH overrides the path.
set -uo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Chromium is missing at $CHROMIUM: installing Debian's chromium package (apt-get install -y chromium) for the admin UI tests..."
if [ "$(id -u)" -ne 0 ]; then
  echo "Not root: install it yourself (sudo apt-get install -y chromium) or set CHROMIUM_PATH; the admin UI tests will fail without it." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
  apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null || { echo "apt-get install chromium failed" >&2; exit 1; }
fi
echo "Chromium installed: $("$CHROMIUM" --version 2>/dev/null | head -1)"
