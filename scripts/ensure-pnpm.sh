# Sourced: makes `pnpm` available (a global pnpm 10, else npx). corepack is not used: its signature check fails on some machines.
if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  npm install -g pnpm@10 >/dev/null 2>&1 || true
fi
if command -v pnpm >/dev/null 2>&1 && pnpm --version 2>/dev/null | grep -q '^10\.'; then
  PNPM="pnpm"
else
  PNPM="npx -y pnpm@10"
fi
