import { randomUUID } from 'node:crypto';
import IORedis, { Redis } from 'ioredis';

/**
 * A connection to the shared test Redis (127.0.0.1:6379 unless told) with a key prefix no
 * other test uses. `close` deletes this prefix's keys, and only those, then disconnects: the Redis
 * is shared by everyone's tests, so nothing here ever flushes it.
 */
export interface TestRedis {
  redis: Redis;
  /** `test:<label>:<uuid>:` */
  prefix: string;
  /** Another connection to the same Redis (a second "process"), closed with this one. */
  another(): Redis;
  close(): Promise<void>;
}

export function connectTestRedis(label: string, url = 'redis://127.0.0.1:6379'): TestRedis {
  const connections: Redis[] = [];
  const open = () => {
    const r = new IORedis(url, { maxRetriesPerRequest: 2 });
    connections.push(r);
    return r;
  };
  const redis = open();
  const prefix = `test:${label}:${randomUUID()}:`;
  return {
    redis,
    prefix,
    another: open,
    async close() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
