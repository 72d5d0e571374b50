import express from 'express';
import { createCallbacks, storeWithCallbacks } from '@mailroom/callbacks';
import type { Config } from '@mailroom/config';
import { CallbackPublishMetrics } from '@mailroom/metrics';
import { createLogger } from '@mailroom/config';
import { createOAuthConnector } from '@mailroom/delivery';
import { healthRoutes, listen, openBackends, RunningApp } from '@mailroom/runtime';
import { PixelTokens, SecretBox } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import { PROVIDERS, ProviderRegistry } from '@mailroom/transports';
import type { Logger } from 'pino';
import { oauthCallbackRoutes } from './oauth/oauth-callback.routes';
import { pixelRoutes } from './routes/pixel.routes';
import { providerWebhooksListener } from './routes/provider-webhooks.listener';
import type { WebhooksDeps } from './webhooks-deps';
import { createWebhooksMetrics } from './webhooks-metrics';

export type RunningWebhooks = RunningApp<WebhooksDeps>;

/** Public-facing and minimal: the open pixel, the providers' webhook receivers, the OAuth callback. */
export async function startWebhooks(
  config: Config,
  options: { logger?: Logger; store?: Store; providers?: ProviderRegistry } = {},
): Promise<RunningWebhooks> {
  const logger = options.logger ?? createLogger('webhooks', config.logLevel);
  const backends = await openBackends(config, logger, options.store, 'request-path');
  const { redis } = backends;
  const providers = options.providers ?? PROVIDERS;
  const { metrics, observer } = createWebhooksMetrics(
    config,
    logger,
    providers.providerNames.filter((n) => providers.webhookModule(n)),
  );
  const callbacks = createCallbacks({
    redis,
    prefix: config.queuePrefix,
    url: config.callbacks.url,
    logger,
    observer: new CallbackPublishMetrics(metrics.registry),
  });
  callbacks.queue.on('error', (e) => logger.debug({ err: e.message }, 'callbacks queue error'));
  const deps: WebhooksDeps = {
    config,
    logger,
    // Every event recorded (a provider's, the pixel's) tells the platform what it changed (decision 0033).
    store: storeWithCallbacks(backends.store, callbacks.publisher),
    redis,
    box: new SecretBox(config.encryptionKeys),
    pixelTokens: new PixelTokens(config.encryptionKeys),
    providers,
    oauth: createOAuthConnector(config, redis),
    now: () => new Date(),
    observer,
  };
  const app = express();
  app.disable('x-powered-by');
  // The client's address for the open pixel's "same client" rule: X-Forwarded-For is believed from a
  // proxy on a private network (the TLS-terminating one in front of this app), never from the internet.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  // Without Redis only the posts of a provider whose replay check is in Redis, and the OAuth return,
  // wait; the pixel and the other providers' events go to the store: ready, Redis named as degraded (0058).
  app.use(healthRoutes('webhooks', backends.readiness, undefined, ['redis']));
  app.use(pixelRoutes(deps));
  app.use(oauthCallbackRoutes(deps));
  app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'no such route' } }));
  // The providers' posts are served before Express (decision 0041), /metrics before them.
  // A port it cannot listen on closes what it opened (a caller may try another port in the same process).
  const http = await listen(metrics.serve(providerWebhooksListener(deps, app)), config.ports.webhooks, config.host, 'WEBHOOKS_PORT').catch(
    async (e: unknown) => {
      await callbacks.close();
      await backends.close();
      throw e;
    },
  );
  logger.info({ port: http.port }, 'webhooks listening');
  return {
    port: http.port,
    url: `http://127.0.0.1:${http.port}`,
    deps,
    app,
    stop: async () => {
      await http.close();
      await callbacks.close();
      await backends.close();
    },
  };
}
