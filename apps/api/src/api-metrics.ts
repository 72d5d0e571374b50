import type { Config } from '@mailroom/config';
import type { EmailRecord } from '@mailroom/domain';
import { AppMetrics, CallbackPublishMetrics, EnqueueMetrics, watchQueues, WatchedQueue } from '@mailroom/metrics';
import type { Logger } from 'pino';

/** What the API reports as things happen (metrics today). Optional in ApiDeps: nothing depends on being observed. */
export interface ApiObserver {
  /** A new email (not an idempotent replay) was stored and its job queued. */
  emailEnqueued(email: EmailRecord): void;
}

/**
 * The API's metrics, served on GET /metrics with the ops token: its enqueues, the callbacks it could
 * not publish (a cancel, recipients suppressed at enqueue), and the queues it fills (`watchQueues`,
 * once they exist: the callbacks queue is built with the callback observer).
 */
export function createApiMetrics(
  config: Config,
  logger: Logger,
): { metrics: AppMetrics; observer: ApiObserver; callbackObserver: CallbackPublishMetrics; watchQueues(queues: WatchedQueue[]): void } {
  const metrics = new AppMetrics('api', { opsToken: config.opsToken, logger });
  return {
    metrics,
    observer: new EnqueueMetrics(metrics.registry),
    callbackObserver: new CallbackPublishMetrics(metrics.registry),
    watchQueues: (queues) => watchQueues(metrics.registry, queues, { logger }),
  };
}
