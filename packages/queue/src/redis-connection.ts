import IORedis, { Redis } from 'ioredis';

/** A connection as BullMQ wants it (no per-request retry limit). `lazyConnect` lets the caller decide when to fail. */
export function createRedisConnection(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
}

/**
 * A connection for request paths (the API's and the webhooks' Redis calls): it never makes a request
 * wait for a Redis that is not there (decision 0015).
 * - `enableOfflineQueue: false`: while disconnected, every command is refused at once. Nothing piles
 *   up in memory during an outage and nothing runs late, after the caller was already answered 503.
 * - `maxRetriesPerRequest: 0`: commands in flight when the connection drops fail instead of being
 *   sent again after the reconnect, for the same reason.
 * - `commandTimeout`: a backstop for Redis calls we do not bound ourselves (bull-board's); our own
 *   calls go through `withinMs` with their own, tighter budgets.
 * It reconnects by itself (ioredis's retry strategy), so the app recovers when Redis is back.
 * BullMQ's Queue accepts it (only blocking connections need `maxRetriesPerRequest: null`).
 */
export function createRequestPathRedisConnection(url: string, commandTimeoutMs: number): Redis {
  return new IORedis(url, {
    lazyConnect: true,
    enableReadyCheck: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
  });
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
