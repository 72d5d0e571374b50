import type { Config } from '@mailroom/config';
import {
  connectRedis,
  createRedisConnection,
  createRequestPathRedisConnection,
  evictionPolicyProblem,
  readEvictionPolicy,
  RedisConnection,
} from '@mailroom/queue';
import { createStore, Store } from '@mailroom/store';
import type { Logger } from 'pino';
import { ReadinessCheck, redisCheck, storeCheck } from './readiness';

export interface Backends {
  store: Store;
  redis: RedisConnection;
  /** For /readyz: the store answers a read, Redis answers PING (each within a second). */
  readiness: { store: ReadinessCheck; redis: ReadinessCheck };
  /** Closes what was opened here (an injected store is the caller's to close). */
  close(): Promise<void>;
}

/**
 * Who uses the Redis connection: `request-path` (API, webhooks) fails fast while Redis is down;
 * `worker` (BullMQ's Worker) waits for it, as BullMQ requires.
 */
export type RedisUse = 'request-path' | 'worker';

/** The store (initialised) and a connected Redis, or an error that says what to do. */
export async function openBackends(config: Config, logger: Logger, injected?: Store, redisUse: RedisUse = 'worker'): Promise<Backends> {
  const store = injected ?? createStore(config.storeUrl, { logger });
  await store.init();
  const redis =
    redisUse === 'request-path'
      ? createRequestPathRedisConnection(
          config.redisUrl,
          Math.max(config.timeouts.enqueueMs, config.timeouts.redisRequestMs),
          config.redisClusterNodes,
        )
      : createRedisConnection(config.redisUrl, config.redisClusterNodes);
  await connectRedis(redis, config.redisUrl, undefined, config.redisClusterNodes);
  watchRedis(redis, logger);
  // A warning, not a refusal: some hosted Redis do not let the policy be changed (or read).
  const evictionProblem = evictionPolicyProblem(await readEvictionPolicy(redis));
  if (evictionProblem) logger.warn({ check: 'redis maxmemory-policy' }, evictionProblem);
  return {
    store,
    redis,
    readiness: { store: storeCheck(store), redis: redisCheck(redis) },
    close: async () => {
      redis.disconnect();
      if (!injected) await store.close();
    },
  };
}

/**
 * One warning when the connection is lost and one line when it is back. ioredis also reports every
 * failed reconnect as an 'error' event (without a listener, each one is printed to stderr): those go
 * to debug, as /readyz and the callers' 503s already say that Redis is down. The warning waits for
 * 'reconnecting', not 'close': our own disconnect at shutdown closes the connection too, and is no
 * loss (ioredis does not reconnect after it).
 */
function watchRedis(redis: RedisConnection, logger: Logger): void {
  let up = true;
  redis.on('error', (e: Error) => logger.debug({ err: e.message }, 'redis connection error'));
  redis.on('reconnecting', () => {
    if (up) logger.warn('redis connection lost; reconnecting');
    up = false;
  });
  redis.on('ready', () => {
    if (!up) logger.info('redis connection is back');
    up = true;
  });
}
