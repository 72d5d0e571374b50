// Builds the admin screens (apps/admin-ui -> apps/admin-ui/dist, served by the API under /ui/).
// Runs as the root `postinstall`, so `pnpm install` (and with it scripts/up.sh and scripts/test.sh)
// always leaves a build matching the sources. Where the sources are not there (the Docker image's
// dependency layer copies only package.json files) it says so and does nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'admin-ui');
if (!fs.existsSync(path.join(dir, 'index.html'))) {
  console.log('admin-ui: no sources here, nothing to build');
  process.exit(0);
}
const vite = path.join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
if (!fs.existsSync(vite)) {
  console.error('admin-ui: vite is not installed (run pnpm install without --prod)');
  process.exit(1);
}
const started = Date.now();
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('admin-ui: the build failed');
  process.exit(r.status ?? 1);
}
console.log(`admin-ui: built into apps/admin-ui/dist in ${Date.now() - started} ms`);
