import { RedisServerProcess, refusingPort, startRedisServer } from '@mailroom/testkit';
import { connectRedis, createRedisConnection } from './redis-connection';
import { evictionPolicyProblem, readEvictionPolicy } from './redis-eviction-policy';

const failure = async (url: string) => {
  const redis = createRedisConnection(url);
  try {
    await connectRedis(redis, url, 3000);
  } catch (e) {
    return (e as Error).message;
  } finally {
    redis.disconnect();
  }
  throw new Error('expected connectRedis to fail');
};

describe('connectRedis: what to do when it fails', () => {
  let withPassword: RedisServerProcess;
  beforeAll(async () => {
    withPassword = await startRedisServer({ args: ['--requirepass', 'right-password'] });
  });
  afterAll(() => withPassword.close());

  it('a wrong password: check REDIS_URL, never "start one", never the password', async () => {
    const message = await failure(`redis://:wrong-password@127.0.0.1:${withPassword.port}`);
    expect(message).toMatch(/WRONGPASS/);
    expect(message).toMatch(/Check the user name and password in REDIS_URL/);
    expect(message).not.toMatch(/redis-server|Start/);
    expect(message).not.toMatch(/wrong-password/);
  });

  it('no password where one is required: check REDIS_URL', async () => {
    const message = await failure(`redis://127.0.0.1:${withPassword.port}`);
    expect(message).toMatch(/NOAUTH/);
    expect(message).toMatch(/password in REDIS_URL/);
  });

  it('nothing listening: the start hint, with the port of REDIS_URL', async () => {
    const port = await refusingPort();
    const message = await failure(`redis://127.0.0.1:${port}`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).toMatch(new RegExp(`Nothing answers at 127\\.0\\.0\\.1:${port}\\..*--port ${port}\\b`));
    expect(message).not.toMatch(/--port 6379/);
  });
});

describe('the Redis maxmemory-policy', () => {
  let lru: RedisServerProcess;
  beforeAll(async () => {
    lru = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
  });
  afterAll(() => lru.close());

  it('is read at start, and an evicting one is named with the fix', async () => {
    const redis = createRedisConnection(lru.url);
    try {
      await connectRedis(redis, lru.url);
      const policy = await readEvictionPolicy(redis);
      expect(policy).toBe('allkeys-lru');
      expect(evictionPolicyProblem(policy)).toMatch(
        /maxmemory-policy is allkeys-lru.*BullMQ requires noeviction.*maxmemory-policy noeviction/,
      );
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      expect(evictionPolicyProblem(await readEvictionPolicy(redis))).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it('is read from INFO where CONFIG is disabled (as on ElastiCache)', async () => {
    const managed = await startRedisServer({ args: ['--maxmemory-policy', 'volatile-lru', '--rename-command', 'CONFIG', ''] });
    const redis = createRedisConnection(managed.url);
    try {
      await connectRedis(redis, managed.url);
      expect(await readEvictionPolicy(redis)).toBe('volatile-lru');
    } finally {
      redis.disconnect();
      await managed.close();
    }
  });

  it('unreadable: says it could not check, and what it must be', () => {
    // ioredis's own ready check needs INFO, so a Redis that refuses INFO cannot be connected to at all;
    // the policy is still unreadable where INFO's memory section is filtered and CONFIG is refused.
    expect(evictionPolicyProblem(undefined)).toMatch(/could not read the Redis maxmemory-policy.*noeviction/);
  });
});
