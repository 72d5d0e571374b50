import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@mailroom/config';
import { createLogger } from '@mailroom/config';
import { connectRedis, createRedisConnection, createSendQueue } from '@mailroom/queue';
import { SecretBox, TenantTokens } from '@mailroom/security';
import { createStore, Store } from '@mailroom/store';
import type { Logger } from 'pino';
import type { ApiDeps } from './api-deps';
import { buildApp } from './build-app';
import { registerProviderWebhook } from './use-cases/register-webhook';

export interface RunningApi {
  port: number;
  url: string;
  deps: ApiDeps;
  stop(): Promise<void>;
}

/** Starts the API: store, Redis, queue, HTTP. `port: 0` in tests. Stop closes everything it opened. */
export async function startApi(config: Config, options: { logger?: Logger; store?: Store } = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger('api', config.logLevel);
  const store = options.store ?? createStore(config.storeUrl, { logger });
  await store.init();
  const redis = createRedisConnection(config.redisUrl);
  await connectRedis(redis, config.redisUrl);
  const queue = createSendQueue(redis, config.queuePrefix);
  const deps: ApiDeps = {
    config,
    logger,
    store,
    queue,
    redis,
    box: new SecretBox(config.encryptionKeys),
    tenantTokens: new TenantTokens(config.encryptionKeys, config.limits.tenantTokenTtlSeconds),
    now: () => new Date(),
  };
  const app = buildApp(deps, {
    ready: async () => (await redis.ping()) === 'PONG',
    settingsHooks: { afterSave: (tenantId, input) => registerProviderWebhook(deps, tenantId, input.provider) },
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.api, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, store: store.kind }, 'api listening');
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    deps,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await queue.close();
      redis.disconnect();
      if (!options.store) await store.close();
    },
  };
}
