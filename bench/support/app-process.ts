import { ChildProcess, spawn } from 'node:child_process';
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
 * One of the apps as its own OS process (`apps/<app>/src/main.ts`) with its V8 flags, as production
 * runs it: its CPU is its own, not shared with the bench's clients. `nodeArgs` are added, e.g.
 * `--cpu-prof`. Logs go nowhere.
 */
export async function startAppProcess(app: AppName, env: Record<string, string>, nodeArgs: string[] = []): Promise<AppProcess> {
  const portVar = { webhooks: 'WEBHOOKS_PORT', worker: 'WORKER_PORT', api: 'API_PORT' }[app];
  return startScriptProcess(path.join(ROOT, 'apps', app, 'src', 'main.ts'), portVar, env, [...appNodeFlags(app), ...nodeArgs], app);
}

/** Any server script (a baseline's) as its own process, listening on the port it finds in `portVar`, answering /healthz. */
export async function startScriptProcess(
  script: string,
  portVar: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  app = path.basename(script),
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
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
