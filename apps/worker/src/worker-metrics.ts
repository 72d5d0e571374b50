import type { Config } from '@mailroom/config';
import type { EmailRecord, EmailSettings } from '@mailroom/domain';
import { TransportCache } from '@mailroom/delivery';
import {
  AppMetrics,
  LaneTotals,
  SendMetrics,
  SendOutcome,
  watchQueues,
  WatchedQueue,
  StoreDiskBytes,
  watchStoreDisk,
  watchTenantLanes,
  watchTransportCache,
} from '@mailroom/metrics';
import type { Logger } from 'pino';
import type { TransportTimer } from './timed-transport';

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
  /** The transport cache to send through (its size is a gauge). */
  transports: TransportCache;
  /** Times each transport call (timedTransport). */
  timer: TransportTimer;
  /** Reports these queues' depth and oldest waiting job: call once, with every queue the worker knows. */
  watchQueues(queues: WatchedQueue[]): void;
  /** Reports the tenant lanes' totals (backlog, tenants with one, admitted): call once. */
  watchLanes(lanes: { stats(): Promise<LaneTotals> }): void;
  /** Reports the store's files on this machine (SQLite): call once, when the store has any. */
  watchStoreDisk(store: { diskUsage(): Promise<StoreDiskBytes> }): void;
}

/** The worker's metrics: its sends, its transport cache, the queues it drains, the store's files; GET /metrics with the ops token. */
export function createWorkerMetrics(config: Config, logger: Logger, providerNames: readonly string[]): WorkerMetrics {
  const metrics = new AppMetrics('worker', { opsToken: config.opsToken, logger });
  const sends = new SendMetrics(metrics.registry, providerNames);
  const transports = new TransportCache(config.send.transportCacheSize);
  watchTransportCache(metrics.registry, transports);
  return {
    metrics,
    observer: sends,
    transports,
    timer: sends,
    watchQueues: (queues) => watchQueues(metrics.registry, queues, { logger }),
    watchLanes: (lanes) => watchTenantLanes(metrics.registry, lanes, { logger }),
    watchStoreDisk: (store) => watchStoreDisk(metrics.registry, store, { logger }),
  };
}
