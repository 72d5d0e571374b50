import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { isHashTagged } from './redis-target';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return { variable: (e as ConfigError).variable, message: (e as Error).message };
  }
  throw new Error('expected a ConfigError');
};

describe('QUEUE_PREFIX and REDIS_CLUSTER_NODES', () => {
  it('knows a Cluster-safe prefix: a non-empty {tag} somewhere in it', () => {
    expect(isHashTagged('{mailroom}')).toBe(true);
    expect(isHashTagged('mr-{prod}')).toBe(true);
    expect(isHashTagged('mailroom')).toBe(false);
    expect(isHashTagged('{}mailroom')).toBe(false);
  });

  it('takes a hash-tagged prefix, and a plain one on a single Redis', () => {
    expect(loadConfig({ QUEUE_PREFIX: '{mailroom}' }).queuePrefix).toBe('{mailroom}');
    expect(loadConfig({ QUEUE_PREFIX: 'mr-{prod}:eu' }).queuePrefix).toBe('mr-{prod}:eu');
    expect(loadConfig({}).queuePrefix).toBe('mailroom');
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
  });

  it('refuses braces that do not form one hash tag', () => {
    for (const prefix of ['{}mailroom', '{mailroom', 'mailroom}', '}x{', '{a}{b}', '{a{b}}']) {
      const r = refusal({ QUEUE_PREFIX: prefix });
      expect(r.variable).toBe('QUEUE_PREFIX');
      expect(r.message).toMatch(/hash tag/);
    }
    expect(refusal({ QUEUE_PREFIX: 'mail room' }).variable).toBe('QUEUE_PREFIX');
  });

  it('parses the cluster seeds', () => {
    const c = loadConfig({ QUEUE_PREFIX: '{mailroom}', REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001,[::1]:7002' });
    expect(c.redisClusterNodes).toEqual([
      { host: 'redis-1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('refuses to start on a cluster with a prefix that is not hash-tagged, naming QUEUE_PREFIX', () => {
    const r = refusal({ REDIS_CLUSTER_NODES: 'redis-1:7000' });
    expect(r.variable).toBe('QUEUE_PREFIX');
    expect(r.message).toMatch(/QUEUE_PREFIX: must be hash-tagged on a Redis Cluster .*\{mailroom\}.*got "mailroom"/);
  });

  it('refuses a seed that is not host:port', () => {
    for (const nodes of ['redis-1', 'redis-1:0', 'redis-1:70000', 'redis://redis-1:7000']) {
      expect(refusal({ QUEUE_PREFIX: '{mailroom}', REDIS_CLUSTER_NODES: nodes }).variable).toBe('REDIS_CLUSTER_NODES');
    }
  });
});
