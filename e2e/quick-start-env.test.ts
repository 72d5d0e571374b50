import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
