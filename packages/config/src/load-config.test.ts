import { ConfigError, loadConfig } from './index';

/** The keys and tokens production requires, and nothing else. */
const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  API_KEYS: 'k'.repeat(20),
  OPS_TOKEN: 'o'.repeat(20),
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
};

describe('loadConfig', () => {
  it('applies the design brief defaults and says loudly which development defaults are in use', () => {
    const c = loadConfig({});
    expect(c.ports).toEqual({ api: 8080, webhooks: 8081, worker: 8082 });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.storeUrl).toMatch(/^sqlite:.*data[/\\]mailroom\.db$/);
    expect(c.send).toMatchObject({ attempts: 16, retryBaseMs: 30000, retryMaxMs: 300000 });
    expect(c.smtpPlans).toEqual(['advanced', 'premium']);
    expect(c.limits.maxAttachmentBytes).toBe(10 * 1024 * 1024);
    expect(c.limits.maxBatchBodyBytes).toBe(32 * 1024 * 1024);
    expect(c.retention).toEqual({ contentSeconds: 30 * 24 * 3600, sweepEveryMs: 600_000 });
    expect(c.timeouts).toMatchObject({ enqueueMs: 5000, redisRequestMs: 1000 });
    expect(c.platform.maxConnections).toBe(5);
    expect(c.notices.join('\n')).toMatch(/API_KEYS.*DEVELOPMENT/);
    expect(c.notices.join('\n')).toMatch(/\.eml files/);
  });

  it('refuses development defaults in production, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/API_KEYS/);
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS: 'k'.repeat(20) })).toThrow(/OPS_TOKEN/);
  });

  it('refuses production without PLATFORM_TRANSPORT, naming it; files only when asked for with file:///', () => {
    expect(() => loadConfig(PRODUCTION_SECRETS)).toThrow(/^PLATFORM_TRANSPORT: is required when NODE_ENV=production/);
    const secrets = {
      ...PRODUCTION_SECRETS,
      PLATFORM_FROM: 'documents@platform.example',
      PUBLIC_BASE_URL: 'https://mail.platform.example',
    };
    const relay = loadConfig({ ...secrets, PLATFORM_TRANSPORT: 'smtps://u:p@relay.example:465' });
    expect(relay.platform.transportUrl).toBe('smtps://u:p@relay.example:465');
    const files = loadConfig({ ...secrets, PLATFORM_TRANSPORT: 'file:///var/mailroom/outbox' });
    expect(files.platform.outboxDir).toBe('/var/mailroom/outbox');
    expect(files.platform.transportUrl).toBeUndefined();
    expect(files.notices.join('\n')).toMatch(/\.eml files under \/var\/mailroom\/outbox/);
    expect(() => loadConfig({ ...secrets, PLATFORM_TRANSPORT: 'file://relay.example/outbox' })).toThrow(/^PLATFORM_TRANSPORT: a file URL/);
    // Development keeps its loud default outbox.
    expect(loadConfig({}).platform.outboxDir).toMatch(/data[/\\]outbox$/);
  });

  it('refuses production without PLATFORM_FROM or PUBLIC_BASE_URL, naming each; development uses them loudly', () => {
    const production = { ...PRODUCTION_SECRETS, PLATFORM_TRANSPORT: 'smtps://u:p@relay.example:465' };
    expect(() => loadConfig(production)).toThrow(/^PLATFORM_FROM: is required when NODE_ENV=production \(.*no mail server delivers\)/);
    expect(() => loadConfig({ ...production, PLATFORM_FROM: 'documents@platform.example' })).toThrow(
      /^PUBLIC_BASE_URL: is required when NODE_ENV=production \(.*reachable from this machine only/,
    );
    const named = loadConfig({
      ...production,
      PLATFORM_FROM: 'Documents@Platform.example',
      PUBLIC_BASE_URL: 'https://mail.platform.example/',
    });
    expect(named.platform.from).toBe('documents@platform.example');
    expect(named.publicBaseUrl).toBe('https://mail.platform.example');
    expect(named.notices.join('\n')).not.toMatch(/PLATFORM_FROM|PUBLIC_BASE_URL/);

    const dev = loadConfig({ WEBHOOKS_PORT: '9081' });
    expect(dev.platform.from).toBe('documents@mailroom.localhost');
    expect(dev.publicBaseUrl).toBe('http://localhost:9081');
    expect(dev.notices.join('\n')).toMatch(/PLATFORM_FROM is not set: using a DEVELOPMENT default/);
    expect(dev.notices.join('\n')).toMatch(/PUBLIC_BASE_URL is not set: using a DEVELOPMENT default .*http:\/\/localhost:9081/);
  });

  it('caps one tenant at half the worker concurrency by default (at least 1), or at TENANT_MAX_IN_FLIGHT', () => {
    // By default 20 slots and K = 10: twice a tenant's SMTP connections (decision 0071).
    expect(loadConfig({}).send).toMatchObject({ concurrency: 20, tenantMaxInFlight: 10 });
    expect(loadConfig({}).smtpMaxConnections).toBe(5);
    expect(loadConfig({ WORKER_CONCURRENCY: '10' }).send.tenantMaxInFlight).toBe(5);
    expect(loadConfig({ WORKER_CONCURRENCY: '7' }).send.tenantMaxInFlight).toBe(3);
    expect(loadConfig({ WORKER_CONCURRENCY: '1' }).send.tenantMaxInFlight).toBe(1);
    expect(loadConfig({ WORKER_CONCURRENCY: '20', TENANT_MAX_IN_FLIGHT: '20' }).send.tenantMaxInFlight).toBe(20);
    expect(() => loadConfig({ TENANT_MAX_IN_FLIGHT: '0' })).toThrow(/^TENANT_MAX_IN_FLIGHT: must be at least 1/);
    expect(() => loadConfig({ TENANT_MAX_IN_FLIGHT: '2.5' })).toThrow(/^TENANT_MAX_IN_FLIGHT: must be a whole number/);
  });

  it('names the bad variable', () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).variable;
      }
      throw new Error('expected a ConfigError');
    };
    expect(bad({ API_PORT: 'eighty' })).toBe('API_PORT');
    expect(bad({ REDIS_URL: 'http://x' })).toBe('REDIS_URL');
    expect(bad({ ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toBe('ENCRYPTION_KEYS');
    expect(bad({ STORE_URL: 'postgres://x' })).toBe('STORE_URL');
    expect(bad({ PLATFORM_TRANSPORT: 'http://relay' })).toBe('PLATFORM_TRANSPORT');
  });

  it('parses several encryption keys, the first one encrypting', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const c = loadConfig({ ENCRYPTION_KEYS: `new:${k1},old:${k2}` });
    expect(c.encryptionKeys.map((k) => k.id)).toEqual(['new', 'old']);
  });
});
