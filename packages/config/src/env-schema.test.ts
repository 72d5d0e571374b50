import { ConfigError, loadConfig } from './index';
import { envSchema } from './env-schema';

/** The ConfigError loadConfig throws for this environment (fails the test if it throws anything else). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw new Error(`expected a ConfigError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a ConfigError, got none');
}

describe('URL variables', () => {
  it.each([
    ['PUBLIC_BASE_URL', 'mailroom.example.com', /^PUBLIC_BASE_URL: must be a whole URL starting with http:\/\/ or https:\/\//],
    ['REDIS_URL', 'notaurl', /^REDIS_URL: must be a whole URL starting with redis:\/\/ or rediss:\/\//],
    ['CALLBACK_URL', 'platform.example.com/hook', /^CALLBACK_URL: must be a whole URL/],
    ['PLATFORM_TRANSPORT', 'relay.example.com:587', /^PLATFORM_TRANSPORT: must start with smtp:\/\/ or smtps:\/\/ or file:\/\//],
    ['PLATFORM_TRANSPORT', 'relay', /^PLATFORM_TRANSPORT: must be a whole URL/],
  ])('%s=%s is a ConfigError naming it, not a TypeError', (variable, value, message) => {
    const e = configError({ [variable]: value });
    expect(e.variable).toBe(variable);
    expect(e.message).toMatch(message);
  });

  it('names every URL variable of the schema when its value does not parse, without printing the value', () => {
    const urlVariables = Object.keys(envSchema.shape).filter((name) => /_URL(_US|_EU)?$|^PLATFORM_TRANSPORT$/.test(name));
    expect(urlVariables.length).toBeGreaterThanOrEqual(13);
    for (const variable of urlVariables.filter((v) => v !== 'STORE_URL')) {
      const e = configError({ [variable]: 'secret-password-not-a-url' });
      expect(e.variable).toBe(variable);
      expect(e.message).not.toMatch(/secret-password/);
    }
  });
});

describe('empty variables', () => {
  it('take their default, as if unset (a .env file line "API_PORT=" or compose "${VAR:-}")', () => {
    const c = loadConfig({ API_PORT: '', RATE_LIMIT_GRACE_MS: '', REDIS_URL: '', PLATFORM_TRANSPORT: '', WORKER_CONCURRENCY: '' });
    expect(c.ports.api).toBe(8080);
    expect(c.send.rateLimitGraceMs).toBe(86_400_000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.platform.transportUrl).toBeUndefined();
    expect(c.send.concurrency).toBe(20);
  });

  it('are unset for the production checks too: an empty required variable is refused by name', () => {
    expect(configError({ NODE_ENV: 'production', API_KEYS: '' }).variable).toBe('API_KEYS');
  });
});

describe('ports', () => {
  it.each(['API_PORT', 'WEBHOOKS_PORT', 'WORKER_PORT'])(
    '%s=0 is refused in production: a deployment listens on a known port',
    (variable) => {
      const e = configError({ NODE_ENV: 'production', [variable]: '0', API_KEYS: 'k'.repeat(20), OPS_TOKEN: 'o'.repeat(20) });
      expect(e.variable).toBe(variable);
      expect(e.message).toMatch(/must be at least 1 when NODE_ENV=production/);
      expect(configError({ [variable]: '-1' }).variable).toBe(variable);
    },
  );

  it.each(['test', 'development'])('0 (any free port) is accepted with NODE_ENV=%s, as the tests start the apps', (NODE_ENV) => {
    expect(loadConfig({ NODE_ENV, API_PORT: '0', WEBHOOKS_PORT: '0', WORKER_PORT: '0' }).ports).toEqual({
      api: 0,
      webhooks: 0,
      worker: 0,
    });
  });
});
