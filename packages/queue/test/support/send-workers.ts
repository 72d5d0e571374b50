import { Job, Processor, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createSendQueue, jitteredBackoff, SEND_QUEUE, SendJobData, sendJobOptions } from '../../src/send-queue';
import { releaseLaneAfterSuccess, releaseLaneOnFinalFailure } from '../../src/lanes/release-tenant-lane';
import { JobOptionsFor, TenantLanes } from '../../src/lanes/tenant-lanes';
import { followLaneConcurrency } from '../../src/lanes/lane-concurrency';
import { deleteKeysUnder, openRedis } from './redis-test-prefix';

export const RETRY_BASE_MS = 20;
/** As often as the worker app reads the busy tenants. */
export const LANE_CONCURRENCY_EVERY_MS = 250;
/** The apps' job options (jobId = email id, jittered backoff), with fast retries. */
export const jobOptionsFor: JobOptionsFor = (id) => sendJobOptions(id, { attempts: 3, retryBaseMs: RETRY_BASE_MS });

export interface SendWorkers {
  prefix: string;
  /** The queue's connection, for lanes or limiters of the test's own. */
  redis: Redis;
  queue: Queue<SendJobData>;
  lanes?: TenantLanes;
  workers: Worker<SendJobData>[];
  /** One more worker on its own connection, wired like the others. */
  addWorker(processor: Processor<SendJobData>, concurrency: number): Promise<Worker<SendJobData>>;
  /** Waits until `n` jobs are completed or failed for good. */
  waitForFinished(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The send queue on a test prefix, with workers as the app builds them (each on its own Redis
 * connection, as separate worker processes would be), and, when `maxInFlight` is given, tenant lanes
 * released by the workers' events.
 */
export async function startSendWorkers(
  prefix: string,
  options: { maxInFlight?: number; followLanes?: boolean; logErrors?: (e: unknown) => void } = {},
): Promise<SendWorkers> {
  const connections: Redis[] = [await openRedis()];
  const queue = createSendQueue(connections[0], prefix);
  const lanes =
    options.maxInFlight === undefined ? undefined : new TenantLanes(connections[0], { prefix, maxInFlight: options.maxInFlight });
  const workers: Worker<SendJobData>[] = [];
  const stopFollowing: (() => void)[] = [];
  let closed = false;
  const counted = { finished: 0 };
  const logger = { error: (obj: object) => (options.logErrors ?? ((e) => console.error(e)))(obj) };

  return {
    prefix,
    redis: connections[0],
    queue,
    lanes,
    workers,
    async addWorker(processor, concurrency) {
      const connection = await openRedis();
      connections.push(connection);
      const deps = lanes && { lanes, queue, jobOptionsFor, logger };
      const worker = new Worker<SendJobData>(SEND_QUEUE, deps ? releaseLaneAfterSuccess(deps, processor) : processor, {
        connection,
        prefix,
        concurrency,
        settings: { backoffStrategy: (made: number) => jitteredBackoff(made, { baseMs: RETRY_BASE_MS, maxMs: 60_000 }) },
      });
      worker.on('completed', () => (counted.finished += 1));
      worker.on('failed', (job?: Job<SendJobData>) => {
        if (job?.finishedOn !== undefined) counted.finished += 1;
      });
      worker.on('error', () => undefined);
      if (deps) releaseLaneOnFinalFailure(worker, deps);
      // As the worker app: no more slots than the lanes can fill (decision 0026, "Idle slots").
      if (lanes && options.followLanes !== false)
        stopFollowing.push(followLaneConcurrency(worker, lanes, { configured: concurrency, everyMs: LANE_CONCURRENCY_EVERY_MS }));
      await worker.waitUntilReady();
      workers.push(worker);
      return worker;
    },
    async waitForFinished(n, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (counted.finished < n) {
        if (Date.now() > until) throw new Error(`expected ${n} finished jobs within ${timeoutMs} ms, got ${counted.finished}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      stopFollowing.forEach((stop) => stop());
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await deleteKeysUnder(connections[0], prefix);
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
