import express from 'express';
import { Worker } from 'bullmq';
import { CallbackSwitch, createCallbacks, startCallbackWorker, storeWithCallbacks } from '@mailroom/callbacks';
import type { Config } from '@mailroom/config';
import { createLogger } from '@mailroom/config';
import { buildSmtpHostGuard, MailboxTokens, SharedPlatformTransport } from '@mailroom/delivery';
import {
  createSendQueue,
  followLaneConcurrency,
  isRedisConnectionError,
  jitteredBackoff,
  releaseLaneAfterSuccess,
  releaseLaneOnFinalFailure,
  SEND_QUEUE,
  SendJobData,
  sendJobOptionsFor,
  TenantLanes,
  TenantRateLimiter,
} from '@mailroom/queue';
import { healthRoutes, listen, openBackends } from '@mailroom/runtime';
import { PixelTokens, SecretBox } from '@mailroom/security';
import { CallbackMetrics, watchCallbackSwitch } from '@mailroom/metrics';
import type { Store } from '@mailroom/store';
import { createPlatformTransport, HostResolver, PROVIDERS, ProviderRegistry } from '@mailroom/transports';
import type { Logger } from 'pino';
import { processSendJob } from './process-send-job';
import { requeueStuckEmails, scheduleStuckSweep } from './requeue-stuck-emails';
import { purgeExpiredContent } from './purge-expired-content';
import { removeExpiredSuppressions } from './remove-expired-suppressions';
import { schedulePeriodic } from './periodic-task';
import type { WorkerDeps } from './worker-deps';
import { createWorkerMetrics } from './worker-metrics';

/** How often the worker's slots follow the number of busy tenants (one SCARD). */
const LANE_CONCURRENCY_EVERY_MS = 250;

export interface RunningWorker {
  port: number;
  worker: Worker<SendJobData>;
  deps: WorkerDeps;
  stop(): Promise<void>;
}

/** Starts a BullMQ worker on the send queue, and the worker's health endpoint. */
export async function startWorker(
  config: Config,
  options: { logger?: Logger; store?: Store; resolveHost?: HostResolver; providers?: ProviderRegistry } = {},
): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger('worker', config.logLevel);
  const backends = await openBackends(config, logger, options.store);
  const { redis } = backends;
  const providers = options.providers ?? PROVIDERS;
  const { metrics, observer, transports, timer, watchQueues, watchLanes, watchStoreDisk } = createWorkerMetrics(
    config,
    logger,
    providers.providerNames,
  );
  const platformRelay = new SharedPlatformTransport(createPlatformTransport(config, logger));
  const callbackMetrics = new CallbackMetrics(metrics.registry);
  const callbacks = createCallbacks({ redis, prefix: config.queuePrefix, url: config.callbacks.url, logger, observer: callbackMetrics });
  // Every update of an email or of settings tells the platform what it changed (decision 0033).
  const store = storeWithCallbacks(backends.store, callbacks.publisher);
  const box = new SecretBox(config.encryptionKeys);
  const deps: WorkerDeps = {
    config,
    logger,
    store,
    box,
    pixelTokens: new PixelTokens(config.encryptionKeys),
    transports,
    timer,
    providers,
    // One token manager per worker: refreshes before expiry, one at a time per tenant across workers.
    mailboxTokens: new MailboxTokens({ config, redis, registry: providers, settings: store.settings, box, logger }),
    smtpHosts: buildSmtpHostGuard(config, options.resolveHost),
    platformTransport: platformRelay,
    limiter: new TenantRateLimiter(redis, { prefix: config.queuePrefix }),
    now: () => new Date(),
    observer,
    callbacks: callbacks.publisher,
  };
  const queue = createSendQueue(redis, config.queuePrefix);
  // Tenant lanes (decision 0026): a job gives its tenant's slot back once its work is done, or when it failed for good.
  const lanes = new TenantLanes(redis, { prefix: config.queuePrefix, maxInFlight: config.send.tenantMaxInFlight });
  const backoff = { baseMs: config.send.retryBaseMs, maxMs: config.send.retryMaxMs };
  const laneRelease = { lanes, queue, jobOptionsFor: sendJobOptionsFor(config.send), logger };
  const processor = releaseLaneAfterSuccess(laneRelease, async (job, token) => processSendJob(deps, job, token));
  // Not running yet: it takes jobs only once the health port is bound (below), so a taken port stops
  // the worker before it has a job in hand.
  const worker = new Worker<SendJobData>(SEND_QUEUE, processor, {
    autorun: false,
    connection: redis,
    prefix: config.queuePrefix,
    concurrency: config.send.concurrency,
    lockDuration: config.send.lockMs,
    stalledInterval: Math.max(1000, Math.floor(config.send.lockMs / 2)),
    maxStalledCount: 5,
    settings: { backoffStrategy: (made, _type, err) => jitteredBackoff(made, backoff, err as { retryAfterMs?: number }) },
  });
  // During a Redis outage BullMQ reports every failed reconnect here; open-backends has said it once.
  const onWorkerError = (what: string) => (e: Error) =>
    isRedisConnectionError(e)
      ? logger.debug({ err: e.message }, `${what}: redis not reachable`)
      : logger.error({ err: e }, `${what} error`);
  worker.on('error', onWorkerError('worker'));
  releaseLaneOnFinalFailure(worker, laneRelease);
  // No more slots than the lanes can fill: an idle slot costs Redis round trips per job (decision 0026).
  const stopFollowingLanes = followLaneConcurrency(worker, lanes, {
    configured: config.send.concurrency,
    everyMs: LANE_CONCURRENCY_EVERY_MS,
    onError: (err) => logger.debug({ err }, 'could not read the busy tenants; all slots open'),
  });
  await worker.waitUntilReady();
  watchQueues([queue, callbacks.queue]);
  watchLanes(lanes);
  // The SQLite store's files on this machine's disk (MongoDB has none here).
  const diskUsage = backends.store.diskUsage?.bind(backends.store);
  if (diskUsage) watchStoreDisk({ diskUsage });
  queue.on('error', (e) => logger.debug({ err: e.message }, 'send queue error'));
  callbacks.queue.on('error', (e) => logger.debug({ err: e.message }, 'callbacks queue error'));
  const app = express();
  app.use(
    healthRoutes(
      'worker',
      {
        ...backends.readiness,
        worker: async () => {
          if (!worker.isRunning()) throw new Error('the BullMQ worker is not running');
        },
      },
      () => ({ transportsCached: transports.size }),
    ),
  );
  const http = await listen(metrics.serve(app), config.ports.worker, config.host, 'WORKER_PORT').catch(async (e: unknown) => {
    stopFollowingLanes();
    await worker.close();
    await queue.close();
    await callbacks.close();
    await platformRelay.shutdown();
    await backends.close();
    throw e;
  });
  const { url: callbackUrl, secrets, retryScale } = config.callbacks;
  const callbackWorker = callbackUrl
    ? await startCallbackWorker({
        redis,
        prefix: config.queuePrefix,
        url: callbackUrl,
        secrets,
        retryScale,
        logger,
        observer: callbackMetrics,
        onError: onWorkerError('callback worker'),
      })
    : undefined;
  if (callbackUrl) watchCallbackSwitch(metrics.registry, new CallbackSwitch(redis, callbacks.queue, config.queuePrefix), { logger });
  const stopSweep = scheduleStuckSweep(
    () =>
      requeueStuckEmails(
        { store, queue, lanes, logger, policy: config.send, now: deps.now },
        new Date(Date.now() - config.send.stuckAfterMs),
        {
          // A test email's request is surely over once its timeout (and then some) has passed.
          testEmailsOverBefore: new Date(Date.now() - Math.max(config.send.stuckAfterMs, 2 * config.timeouts.testEmailMs)),
          // An enqueue admits, then adds the job within ENQUEUE_TIMEOUT_MS: a younger admission is left alone.
          laneGraceMs: Math.max(config.send.stuckSweepEveryMs, config.timeouts.enqueueMs),
        },
      ),
    config.send.stuckSweepEveryMs,
    logger,
  );
  const stopRetention = schedulePeriodic(
    'content retention sweep',
    () =>
      purgeExpiredContent({
        store,
        logger,
        outboxDir: config.platform.outboxDir,
        retentionSeconds: config.retention.contentSeconds,
        now: () => deps.now(),
      }),
    config.retention.sweepEveryMs,
    logger,
  );

  const stopSuppressionExpiry = schedulePeriodic(
    'suppression expiry sweep',
    () => removeExpiredSuppressions({ store, logger, now: () => deps.now() }),
    config.retention.sweepEveryMs,
    logger,
  );

  void worker.run().catch((e: unknown) => logger.error({ err: e }, 'worker stopped taking jobs'));
  logger.info({ port: http.port, concurrency: config.send.concurrency }, 'worker running');
  return {
    port: http.port,
    worker,
    deps,
    stop: async () => {
      stopSweep();
      stopFollowingLanes();
      await stopRetention();
      await stopSuppressionExpiry();
      await worker.close();
      await callbackWorker?.close();
      await queue.close();
      await callbacks.close();
      await transports.closeAll();
      await platformRelay.shutdown();
      await http.close();
      await backends.close();
    },
  };
}
