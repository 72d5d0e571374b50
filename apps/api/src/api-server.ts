import { createCallbacks, storeWithCallbacks } from '@mailroom/callbacks';
import type { Config } from '@mailroom/config';
import { createLogger } from '@mailroom/config';
import { buildSmtpHostGuard, createOAuthConnector, MailboxTokens } from '@mailroom/delivery';
import { createSendQueue, TenantLanes } from '@mailroom/queue';
import { listen, openBackends, RunningApp } from '@mailroom/runtime';
import { SecretBox, TenantTokens } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import { HostResolver, PROVIDERS, ProviderRegistry } from '@mailroom/transports';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiDeps } from './api-deps';
import { createApiMetrics } from './api-metrics';
import { createBatchBodyReader } from './batch-body/batch-body-reader';
import { buildApp } from './build-app';
import { defaultAdminUiDir } from './http/admin-ui';
import { enqueueEmailListener } from './routes/enqueue-email.listener';
import { registerProviderWebhook } from './use-cases/register-webhook';

export type RunningApi = RunningApp<ApiDeps>;

/** Starts the API: store, Redis, queue, HTTP. `port: 0` in tests. Stop closes everything it opened. */
export async function startApi(
  config: Config,
  options: {
    logger?: Logger;
    store?: Store;
    adminUiDir?: string;
    resolveHost?: HostResolver;
    /** Tests may build the tenant lanes themselves (to hold an enqueue at a chosen moment), on the API's connection. */
    lanes?: (redis: Redis | Cluster) => TenantLanes;
    /** The transport modules; tests may add their own (the registry of packages/transports by default). */
    providers?: ProviderRegistry;
  } = {},
): Promise<RunningApi> {
  const logger = options.logger ?? createLogger('api', config.logLevel);
  const backends = await openBackends(config, logger, options.store, 'request-path');
  const { store, redis } = backends;
  const queue = createSendQueue(redis, config.queuePrefix);
  const { metrics, observer, callbackObserver, watchQueues } = createApiMetrics(config, logger);
  const callbacks = createCallbacks({ redis, prefix: config.queuePrefix, url: config.callbacks.url, logger, observer: callbackObserver });
  watchQueues([queue, callbacks.queue]);
  // The connection's own errors are logged by openBackends; BullMQ repeats them here.
  queue.on('error', (e) => logger.debug({ err: e.message }, 'send queue error'));
  callbacks.queue.on('error', (e) => logger.debug({ err: e.message }, 'callbacks queue error'));
  const box = new SecretBox(config.encryptionKeys);
  const providers = options.providers ?? PROVIDERS;
  const deps: ApiDeps = {
    config,
    logger,
    // Every update of an email or of settings tells the platform what it changed (decision 0033).
    store: storeWithCallbacks(store, callbacks.publisher),
    queue,
    // On the queue's connection and prefix: the lanes' keys sit beside BullMQ's (one slot on a Cluster).
    // Tests may wrap the lanes (to hold an enqueue at a chosen moment); on the API's connection either way.
    lanes: options.lanes
      ? options.lanes(redis)
      : new TenantLanes(redis, { prefix: config.queuePrefix, maxInFlight: config.send.tenantMaxInFlight }),
    redis,
    box,
    tenantTokens: new TenantTokens(config.encryptionKeys, config.limits.tenantTokenTtlSeconds),
    smtpHosts: buildSmtpHostGuard(config, options.resolveHost),
    providers,
    mailboxTokens: new MailboxTokens({ config, redis, registry: providers, settings: store.settings, box, logger }),
    oauth: createOAuthConnector(config, redis),
    now: () => new Date(),
    batchBodies: createBatchBodyReader({ threads: config.batchReadThreads, maxAttachmentBytes: config.limits.maxAttachmentBytes, logger }),
    observer,
    callbacks,
  };
  const app = buildApp(deps, {
    readiness: backends.readiness,
    adminUiDir: options.adminUiDir ?? defaultAdminUiDir(),
    settingsHooks: { afterSave: (tenantId, input) => registerProviderWebhook(deps, tenantId, input.provider) },
  });
  const http = await listen(metrics.serve(enqueueEmailListener(deps, app)), config.ports.api, config.host, 'API_PORT');
  logger.info({ port: http.port, store: store.kind }, 'api listening');
  return {
    port: http.port,
    url: `http://127.0.0.1:${http.port}`,
    deps,
    app,
    stop: async () => {
      await http.close();
      await deps.batchBodies.close();
      await queue.close();
      await callbacks.close();
      await backends.close();
    },
  };
}
