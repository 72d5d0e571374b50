import { randomBytes } from 'node:crypto';
import IORedis, { Redis } from 'ioredis';

/** A connection to the shared test Redis, and a prefix nobody else uses; `cleanup` deletes only its keys. */
export function testRedis(label: string): { redis: Redis; prefix: string; cleanup(): Promise<void> } {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `cbtest-${label}-${randomBytes(4).toString('hex')}`;
  return {
    redis,
    prefix,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
