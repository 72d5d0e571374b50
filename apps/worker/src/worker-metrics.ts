import type { Config } from '@mailroom/config';
import type { EmailRecord, EmailSettings } from '@mailroom/domain';
import { AppMetrics, SendMetrics, SendOutcome, watchQueues, WatchedQueue, watchTransportCache } from '@mailroom/metrics';
import type { Logger } from 'pino';
import { TimedTransportCache } from './timed-transport-cache';

/** What the worker reports as sends happen (metrics today). Optional in WorkerDeps: nothing depends on being observed. */
export interface SendObserver {
  /**
   * One send attempt ended: `accepted`, `retry` (it will be tried again), `failed` (for good), or
   * `deferred` (held back by the tenant's own limits; no attempt used up).
   */
  sendAttempted(email: EmailRecord, settings: EmailSettings | null | undefined, outcome: SendOutcome): void;
}

export interface WorkerMetrics {
  metrics: AppMetrics;
  observer: SendObserver;
  /** The transport cache to send through: each transport call is timed. */
  transports: TimedTransportCache;
  /** Reports these queues' depth and oldest waiting job: call once, with every queue the worker knows. */
  watchQueues(queues: WatchedQueue[]): void;
}

/** The worker's metrics: its sends, its transport cache, the queues it drains; GET /metrics with the ops token. */
export function createWorkerMetrics(config: Config, logger: Logger): WorkerMetrics {
  const metrics = new AppMetrics('worker', { opsToken: config.opsToken, logger });
  const sends = new SendMetrics(metrics.registry);
  const transports = new TimedTransportCache(config.send.transportCacheSize, sends);
  watchTransportCache(metrics.registry, transports);
  return { metrics, observer: sends, transports, watchQueues: (queues) => watchQueues(metrics.registry, queues, { logger }) };
}
