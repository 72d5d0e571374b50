import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then waits for the exit (a --cpu-prof profile is written then). */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type AppName = 'webhooks' | 'worker' | 'api';

/**
 * An app's V8 flags as production starts it (infra/node-flags.json: the image, compose and the quick
 * start give the same). `BENCH_<APP>_NODE_FLAGS` (space-separated, '' for none) replaces them, to
 * measure without or with others: `BENCH_API_NODE_FLAGS= BENCH_ONLY=batch-enqueue pnpm bench`.
 */
export function appNodeFlags(app: AppName): string[] {
  const override = process.env[`BENCH_${app.toUpperCase()}_NODE_FLAGS`];
  if (override !== undefined) return override.split(' ').filter(Boolean);
  const flags = JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'node-flags.json'), 'utf8')) as Record<AppName, string[]>;
  return flags[app];
}

/**
 * `BENCH_PERF=1`: node flags for `perf record -g -p <pid>` (JavaScript frames named in /tmp/perf-<pid>.map).
 * perf samples only time on a CPU; `--cpu-prof` charges time a thread spent descheduled to the frame it
 * was in (decision 0052).
 */
export function perfFlags(): string[] {
  return process.env.BENCH_PERF === '1' ? ['--perf-basic-prof'] : [];
}

/**
 * Compiles the apps into apps/<app>/dist (scripts/build-apps.mjs) from the sources as they are now, once
 * per process: `pnpm bench` builds before its rows and tells them so with BENCH_APPS_BUILT=1; a probe
 * run on its own builds here.
 */
export function buildAppsOnce(): void {
  if (process.env.BENCH_APPS_BUILT === '1') return;
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-apps.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`scripts/build-apps.mjs failed (${built.signal ?? built.status})`);
  process.env.BENCH_APPS_BUILT = '1';
}

/** Flags that profile a process: its frames are then worth naming by source file. */
const PROFILING = /^--(cpu-prof|perf-basic-prof)/;

/**
 * One of the apps as its own OS process, as production runs it (decision 0074): plain node on
 * apps/<app>/dist/main.js with its V8 flags. Its CPU is its own, not shared with the bench's clients.
 * `nodeArgs` are added, e.g. `--cpu-prof`. A profiled app runs its sources under tsx instead, so that
 * each frame names its file and cpu-profile-modules.ts can sum them by package (in the compiled file
 * every frame is dist/main.js). Logs go nowhere.
 */
export async function startAppProcess(app: AppName, env: Record<string, string>, nodeArgs: string[] = []): Promise<AppProcess> {
  const portVar = { webhooks: 'WEBHOOKS_PORT', worker: 'WORKER_PORT', api: 'API_PORT' }[app];
  const fromSources = nodeArgs.some((arg) => PROFILING.test(arg));
  if (!fromSources) buildAppsOnce();
  const script = fromSources ? path.join(ROOT, 'apps', app, 'src', 'main.ts') : path.join(ROOT, 'apps', app, 'dist', 'main.js');
  return startScriptProcess(script, portVar, env, [...appNodeFlags(app), ...nodeArgs], app);
}

/**
 * Any server script as its own process, listening on the port it finds in `portVar`, answering /healthz:
 * a compiled app (.js) under plain node, a baseline's TypeScript (.ts) under the tsx loader.
 */
export async function startScriptProcess(
  script: string,
  portVar: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  app = path.basename(script),
): Promise<AppProcess> {
  const port = await freePort();
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], {
    cwd: ROOT,
    env: { ...process.env, ...env, [portVar]: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} at start`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${app} did not answer /healthz within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
