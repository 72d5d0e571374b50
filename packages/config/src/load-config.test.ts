import { ConfigError, loadConfig } from './index';

describe('loadConfig', () => {
  it('applies the design brief defaults and says loudly which development defaults are in use', () => {
    const c = loadConfig({});
    expect(c.ports).toEqual({ api: 8080, webhooks: 8081, worker: 8082 });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.storeUrl).toMatch(/^sqlite:.*data[/\\]mailroom\.db$/);
    expect(c.send).toMatchObject({ attempts: 8, retryBaseMs: 30000 });
    expect(c.smtpPlans).toEqual(['advanced', 'premium']);
    expect(c.limits.maxAttachmentBytes).toBe(10 * 1024 * 1024);
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
