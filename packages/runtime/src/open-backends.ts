import type { Config } from '@mailroom/config';
import { connectRedis, createRedisConnection } from '@mailroom/queue';
import { createStore, Store } from '@mailroom/store';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface Backends {
  store: Store;
  redis: Redis;
  /** Readiness for /healthz: Redis answers PING and the store answers a read. Never throws. */
  ready(): Promise<boolean>;
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
    ready: async () => {
      try {
        // Any read will do: a tenant id that cannot exist (ids are [A-Za-z0-9_-]) costs one index lookup.
        await store.tenants.get('~healthz');
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {
      redis.disconnect();
      if (!injected) await store.close();
    },
  };
}
