import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net, { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The quick start's scripts read the variables as the apps do (README, Configuration): one set to the
 * empty string (`REDIS_URL=` in a .env file) counts as unset and takes its default. Before, `??` kept
 * the empty string: ensure-redis.mjs threw "Invalid URL" and run-all.mjs waited on
 * http://127.0.0.1:/readyz until it gave up and stopped the apps.
 */
describe('the quick start scripts and empty variables', () => {
  it('ensure-redis.mjs takes an empty REDIS_URL for the default, 127.0.0.1:6379', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-redis.mjs')], {
      env: { ...process.env, REDIS_URL: '' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.stderr).not.toMatch(/Invalid URL/);
    expect(r.status).toBe(0);
  });

  it("run-all.mjs waits on each app's default port when its port variable is empty", () => {
    const script = `import('./scripts/env-value.mjs').then(({ envValue }) =>
      console.log(JSON.stringify(['API_PORT', 'WORKER_PORT', 'WEBHOOKS_PORT', 'REDIS_URL'].map((n) => envValue(n, 'default')))))`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { ...process.env, API_PORT: '', WORKER_PORT: '18082', WEBHOOKS_PORT: '', REDIS_URL: 'redis://127.0.0.1:6379' },
      encoding: 'utf8',
    });
    expect(JSON.parse(r.stdout)).toEqual(['default', '18082', 'default', 'redis://127.0.0.1:6379']);
    const runAll = fs.readFileSync(path.join(ROOT, 'scripts', 'run-all.mjs'), 'utf8');
    for (const [name, port] of [
      ['API_PORT', 8080],
      ['WORKER_PORT', 8082],
      ['WEBHOOKS_PORT', 8081],
    ])
      expect(runAll).toContain(`envValue('${name}', ${port})`);
  });
});

/** A port free on `host` now (the kernel's pick), so the test uses no fixed port. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * With HOST bound to another address than 127.0.0.1, run-all.mjs asks each app's /readyz on that
 * address. Before, it always polled http://127.0.0.1:PORT/readyz: the apps never looked ready and it
 * stopped them after 60 s. 127.0.0.2 is loopback on Linux, where nothing of ours listens by default.
 */
describe('run-all.mjs and HOST', () => {
  jest.setTimeout(90_000);
  const HOST = '127.0.0.2';

  it('waits on the address the apps listen on, and says they are up there', async () => {
    const [api, worker, webhooks] = [await freePort(HOST), await freePort(HOST), await freePort(HOST)];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-run-all-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-all.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST,
        API_PORT: String(api),
        WORKER_PORT: String(worker),
        WEBHOOKS_PORT: String(webhooks),
        DATA_DIR: dataDir,
        STORE_URL: '',
        QUEUE_PREFIX: `run-all-host-${process.pid}`,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const said = await new Promise<string>((resolve) => {
        const seen = (d: Buffer) => {
          out += d.toString();
          if (/Mailroom is up|was not ready/.test(out)) resolve(out);
        };
        child.stdout!.on('data', seen);
        child.stderr!.on('data', seen);
        void exited.then(() => resolve(out));
      });
      expect(said).not.toMatch(/was not ready/);
      expect(said).toContain(`Mailroom is up: API http://${HOST}:${api}  webhooks http://${HOST}:${webhooks}`);
      expect((await fetch(`http://${HOST}:${worker}/readyz`)).ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes the wildcard addresses as loopback, and brackets an IPv6 one', () => {
    const hosts = ['0.0.0.0', '::', '[::]', '10.1.2.3', 'fd00::5'];
    const script = `import('./scripts/ready-url.mjs').then(({ appBaseUrl }) =>
      console.log(JSON.stringify(${JSON.stringify(hosts)}.map((h) => appBaseUrl(h, 8080)))))`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual([
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'http://[::1]:8080',
      'http://10.1.2.3:8080',
      'http://[fd00::5]:8080',
    ]);
  });
});
