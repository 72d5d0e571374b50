import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { refusingPort } from '@mailroom/testkit';
import { Mailroom, waitFor } from './mailroom-harness';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A worker as its own OS process, on the harness's Redis prefix and SQLite file. node runs the tsx
 * loader itself (not the tsx CLI), so a signal reaches the process that runs the worker.
 */
export function spawnWorkerProcess(m: Mailroom): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps', 'worker', 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...m.env, WORKER_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
}

export type AppName = 'api' | 'worker' | 'webhooks';

const PORT_VARIABLE: Record<AppName, string> = { api: 'API_PORT', worker: 'WORKER_PORT', webhooks: 'WEBHOOKS_PORT' };

export interface AppProcess {
  app: AppName;
  child: ChildProcess;
  /** http://127.0.0.1:<port>: the app's HTTP port (the worker's health and /metrics). */
  url: string;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Any of the three apps as its own OS process on the harness's configuration (same Redis prefix,
 * same store), on a port of its own, answered once its `/readyz` says ready. `env` overrides variables.
 */
export async function startAppProcess(
  m: Mailroom,
  app: AppName,
  env: Record<string, string> = {},
  /** The app compiled by scripts/build-apps.mjs into apps/<app>/<built>, run by plain node, instead of its sources. */
  built?: string,
): Promise<AppProcess> {
  const port = String(await refusingPort());
  const args = built
    ? [path.join(ROOT, 'apps', app, built, 'main.js')]
    : ['--import', 'tsx', path.join(ROOT, 'apps', app, 'src', 'main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...m.env, LOG_LEVEL: 'silent', ...env, [PORT_VARIABLE[app]]: port },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the ${app} process exited (${child.exitCode}): ${stderr}`);
        return fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      `the ${app} process to be ready`,
      60_000,
      100,
    );
  } catch (e) {
    await stop(1000);
    throw e;
  }
  return { app, child, url, stop };
}
