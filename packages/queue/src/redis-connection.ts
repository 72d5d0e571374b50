import IORedis, { Redis } from 'ioredis';

/** A connection as BullMQ wants it (no per-request retry limit). `lazyConnect` lets the caller decide when to fail. */
export function createRedisConnection(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
}

/** Connects, or throws an error that tells an operator what to do. */
export async function connectRedis(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  const safeUrl = url.replace(/\/\/[^@]*@/, '//***@');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(
      `Cannot reach Redis at ${safeUrl} (${(e as Error).message}). Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379, or set REDIS_URL.`,
      { cause: e },
    );
  } finally {
    clearTimeout(timer);
  }
}
