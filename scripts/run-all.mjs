// Starts the API, the worker and the webhooks receiver as three processes on the embedded defaults,
// prefixes their logs, waits until each answers /readyz (ready to work), and stops them all on Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envValue } from './env-value.mjs';
import { appBaseUrl } from './ready-url.mjs';
import { buildApps } from './build-apps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Each app's V8 flags, as the image and compose start it (infra/node-flags.json). */
const nodeFlags = JSON.parse(fs.readFileSync(path.join(root, 'infra', 'node-flags.json'), 'utf8'));
// The apps listen on HOST (default 0.0.0.0): their readiness is asked there, not always on 127.0.0.1.
const host = envValue('HOST', '0.0.0.0');
const apps = [
  { name: 'api', port: envValue('API_PORT', 8080) },
  { name: 'worker', port: envValue('WORKER_PORT', 8082) },
  { name: 'webhooks', port: envValue('WEBHOOKS_PORT', 8081) },
];
// Each app as the image runs it: compiled into apps/<app>/dist from the sources as they are now (decision 0074).
const buildStarted = Date.now();
await buildApps();
console.log(`built the apps into apps/<app>/dist in ${Date.now() - buildStarted} ms`);
const children = apps.map(({ name }) => {
  // node itself (not a wrapper), so signals reach the app's own process.
  const child = spawn(process.execPath, [...nodeFlags[name], path.join(root, 'apps', name, 'dist', 'main.js')], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (d) =>
      d
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((l) => out.write(`[${name}] ${l}\n`)),
    );
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the others`);
      stop(code || 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const deadline = Date.now() + 60_000;
for (const { name, port } of apps) {
  for (;;) {
    try {
      const r = await fetch(`${appBaseUrl(host, port)}/readyz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      console.error(`[${name}] was not ready (${appBaseUrl(host, port)}/readyz) within 60 s`);
      stop(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
if (!stopping)
  console.log(
    `\nMailroom is up: API ${appBaseUrl(host, apps[0].port)}  webhooks ${appBaseUrl(host, apps[2].port)}  worker readiness ${appBaseUrl(host, apps[1].port)}/readyz\nCtrl-C stops all three.\n`,
  );
