import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Each app validates its configuration once at start and names the bad variable. */
describe('configuration at start', () => {
  it.each(['api', 'worker', 'webhooks'])('%s refuses a bad variable, naming it, with a non-zero exit', (app) => {
    const r = spawnSync(TSX, [path.join(ROOT, 'apps', app, 'src', 'main.ts')], {
      env: { ...process.env, API_PORT: 'eighty', WORKER_PORT: 'x', WEBHOOKS_PORT: 'y', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Configuration error: (API_PORT|WORKER_PORT|WEBHOOKS_PORT)/);
  });

  it('refuses development defaults in production', () => {
    const r = spawnSync(TSX, [path.join(ROOT, 'apps', 'api', 'src', 'main.ts')], {
      env: { ...process.env, NODE_ENV: 'production', API_KEYS: '' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Configuration error: API_KEYS: is required when NODE_ENV=production/);
  });

  it.each(['api', 'worker', 'webhooks'])('%s refuses production without PLATFORM_TRANSPORT, naming it', (app) => {
    const { PLATFORM_TRANSPORT: _unset, ...env } = process.env;
    const r = spawnSync(TSX, [path.join(ROOT, 'apps', app, 'src', 'main.ts')], {
      env: {
        ...env,
        NODE_ENV: 'production',
        API_KEYS: 'a-production-key-0001',
        OPS_TOKEN: 'a-production-ops-token-0001',
        ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Configuration error: PLATFORM_TRANSPORT: is required when NODE_ENV=production/);
  });

  it('refuses a Redis Cluster with a prefix that is not hash-tagged, naming QUEUE_PREFIX', () => {
    const r = spawnSync(TSX, [path.join(ROOT, 'apps', 'worker', 'src', 'main.ts')], {
      env: { ...process.env, REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: 'mailroom', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Configuration error: QUEUE_PREFIX: must be hash-tagged on a Redis Cluster .*\{mailroom\}/);
  });
});
