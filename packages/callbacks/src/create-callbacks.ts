import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CallbackControl } from './callback-control';
import type { CallbackPublishObserver } from './callback-observer';
import { CallbackOrder } from './callback-order';
import { CallbackPublisher, noCallbacks, QueueCallbackPublisher } from './callback-publisher';
import { CallbackJobData, createCallbackQueue } from './callback-queue';
import { CallbackSwitch } from './callback-switch';

export interface Callbacks {
  /** The callbacks queue (dashboard, metrics). */
  queue: Queue<CallbackJobData>;
  /** `publish(events)` after each store update; a no-op without CALLBACK_URL. */
  publisher: CallbackPublisher;
  /** /ops/callbacks. */
  control: CallbackControl;
  close(): Promise<void>;
}

/** What an app holds to publish callbacks and to show them: one queue object on the app's Redis connection. */
export function createCallbacks(options: {
  redis: Redis | Cluster;
  prefix: string;
  url?: string;
  logger: Logger;
  observer?: CallbackPublishObserver;
  publishTimeoutMs?: number;
  parkMs?: number;
}): Callbacks {
  const queue = createCallbackQueue(options.redis, options.prefix);
  const publisher = options.url
    ? new QueueCallbackPublisher({
        queue,
        order: new CallbackOrder(options.redis, { prefix: options.prefix }),
        logger: options.logger,
        observer: options.observer,
        timeoutMs: options.publishTimeoutMs,
        parkMs: options.parkMs,
      })
    : noCallbacks;
  return {
    queue,
    publisher,
    control: new CallbackControl(queue, new CallbackSwitch(options.redis, queue, options.prefix), options.url),
    close: () => queue.close(),
  };
}
