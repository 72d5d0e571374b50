import type { Config } from '@mailroom/config';
import type { EmailRecord } from '@mailroom/domain';
import { AppMetrics, EnqueueMetrics, watchQueues, WatchedQueue } from '@mailroom/metrics';
import type { Logger } from 'pino';

/** What the API reports as things happen (metrics today). Optional in ApiDeps: nothing depends on being observed. */
export interface ApiObserver {
  /** A new email (not an idempotent replay) was stored and its job queued. */
  emailEnqueued(email: EmailRecord): void;
}

/** The API's metrics: its enqueues and the queues it fills, served on GET /metrics with the ops token. */
export function createApiMetrics(config: Config, logger: Logger, queues: WatchedQueue[]): { metrics: AppMetrics; observer: ApiObserver } {
  const metrics = new AppMetrics('api', { opsToken: config.opsToken, logger });
  watchQueues(metrics.registry, queues, { logger });
  return { metrics, observer: new EnqueueMetrics(metrics.registry) };
}
