import type { Config } from '@mailroom/config';
import { connectRedis, createRedisConnection } from '@mailroom/queue';
import { createStore, Store } from '@mailroom/store';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface Backends {
  store: Store;
  redis: Redis;
  /** Closes what was opened here (an injected store is the caller's to close). */
  close(): Promise<void>;
}

/** The store (initialised) and a connected Redis, or an error that says what to do. */
export async function openBackends(config: Config, logger: Logger, injected?: Store): Promise<Backends> {
  const store = injected ?? createStore(config.storeUrl, { logger });
  await store.init();
  const redis = createRedisConnection(config.redisUrl);
  await connectRedis(redis, config.redisUrl);
  return {
    store,
    redis,
    close: async () => {
      redis.disconnect();
      if (!injected) await store.close();
    },
  };
}
