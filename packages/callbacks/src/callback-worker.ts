import { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CallbackObserver } from './callback-observer';
import { CallbackOrder } from './callback-order';
import { DEFAULT_PARK_MS } from './callback-publisher';
import { CALLBACK_QUEUE, CallbackJobData, createCallbackQueue } from './callback-queue';
import { CallbackSwitch } from './callback-switch';
import { deliverCallback } from './deliver-callback';
import { CALLBACK_BACKOFF, callbackRetryDelayMs } from './retry-schedule';

export interface CallbackWorkerOptions {
  redis: Redis | Cluster;
  /** QUEUE_PREFIX. */
  prefix: string;
  /** CALLBACK_URL. */
  url: string;
  /** CALLBACK_SECRETS as key bytes; the first signs, all sign during a rotation. */
  secrets: readonly Buffer[];
  /** CALLBACK_RETRY_SCALE. */
  retryScale: number;
  logger: Logger;
  observer?: CallbackObserver;
  concurrency?: number;
  /** One attempt's limit (default 15 s). */
  timeoutMs?: number;
  parkMs?: number;
  now?: () => Date;
  /** What the BullMQ worker reports (default: logged at error); apps/worker sends Redis outages to debug. */
  onError?: (e: Error) => void;
}

export interface RunningCallbackWorker {
  worker: Worker<CallbackJobData>;
  close(): Promise<void>;
}

export const CALLBACK_TIMEOUT_MS = 15_000;

/** The worker of the callbacks queue, run by apps/worker beside the send worker. */
export async function startCallbackWorker(options: CallbackWorkerOptions): Promise<RunningCallbackWorker> {
  if (options.secrets.length === 0) throw new Error('callbacks need at least one signing secret (CALLBACK_SECRETS)');
  const queue = createCallbackQueue(options.redis, options.prefix);
  const timeoutMs = options.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  const deps = {
    url: options.url,
    keys: options.secrets,
    timeoutMs,
    parkMs: options.parkMs ?? DEFAULT_PARK_MS,
    queue,
    order: new CallbackOrder(options.redis, { prefix: options.prefix }),
    onOff: new CallbackSwitch(options.redis, queue, options.prefix),
    logger: options.logger.child({ component: 'callbacks' }),
    observer: options.observer,
    now: options.now ?? (() => new Date()),
  };
  const worker = new Worker<CallbackJobData>(CALLBACK_QUEUE, (job, token) => deliverCallback(deps, job, token), {
    connection: options.redis,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    // An attempt holds its job at most timeoutMs; the lock outlives it.
    lockDuration: Math.max(30_000, 2 * timeoutMs),
    settings: {
      backoffStrategy: (attemptsMade, type) => (type === CALLBACK_BACKOFF ? callbackRetryDelayMs(attemptsMade, options.retryScale) : 0),
    },
  });
  worker.on('error', options.onError ?? ((e) => deps.logger.error({ err: e }, 'callback worker error')));
  await worker.waitUntilReady();
  deps.logger.info({ concurrency: options.concurrency ?? 10 }, 'callback worker running');
  return {
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
