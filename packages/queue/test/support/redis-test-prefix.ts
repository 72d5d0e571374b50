import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../../src/redis-connection';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique, hash-tagged prefix on the shared Redis, as a Cluster deployment would use. */
export function uniquePrefix(name: string): string {
  return `{mrtest-${name}-${randomBytes(4).toString('hex')}}`;
}

export async function openRedis(): Promise<Redis> {
  const redis = createRedisConnection(TEST_REDIS_URL);
  await redis.connect();
  return redis;
}

/** Deletes every key under the prefix (never anything else on the shared server). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
