import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@mailroom/config';
import { createLogger } from '@mailroom/config';
import { connectRedis, createRedisConnection } from '@mailroom/queue';
import { PixelTokens, SecretBox } from '@mailroom/security';
import { createStore, Store } from '@mailroom/store';
import type { Logger } from 'pino';
import { pixelRoutes } from './routes/pixel.routes';
import { providerWebhookRoutes } from './routes/provider-webhooks.routes';
import type { WebhooksDeps } from './webhooks-deps';

export interface RunningWebhooks {
  port: number;
  url: string;
  deps: WebhooksDeps;
  stop(): Promise<void>;
}

/** Public-facing and minimal: the open pixel and the providers' webhook receivers. */
export async function startWebhooks(config: Config, options: { logger?: Logger; store?: Store } = {}): Promise<RunningWebhooks> {
  const logger = options.logger ?? createLogger('webhooks', config.logLevel);
  const store = options.store ?? createStore(config.storeUrl, { logger });
  await store.init();
  const redis = createRedisConnection(config.redisUrl);
  await connectRedis(redis, config.redisUrl);
  const deps: WebhooksDeps = {
    config,
    logger,
    store,
    redis,
    box: new SecretBox(config.encryptionKeys),
    pixelTokens: new PixelTokens(config.encryptionKeys),
    now: () => new Date(),
  };
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const ok = (await redis.ping().catch(() => '')) === 'PONG';
    res.status(ok ? 200 : 503).json({ ok, app: 'webhooks' });
  });
  app.use(pixelRoutes(deps));
  app.use(providerWebhookRoutes(deps));
  app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'no such route' } }));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.webhooks, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'webhooks listening');
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    deps,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      redis.disconnect();
      if (!options.store) await store.close();
    },
  };
}
