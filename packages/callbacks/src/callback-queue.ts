import { JobsOptions, Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { CallbackEventType } from '@mailroom/domain';
import { CALLBACK_ATTEMPTS, CALLBACK_BACKOFF } from './retry-schedule';

/** The callbacks' own queue, beside `send`: a slow or failing platform endpoint never holds up an email. */
export const CALLBACK_QUEUE = 'callbacks';

/** One event to deliver. The body is kept as sent: every retry posts the same bytes under the same id. */
export interface CallbackJobData {
  /** The webhook-id; also the job id. */
  msgId: string;
  orderKey: string;
  type: CallbackEventType;
  /** `{ type, timestamp, data }` as JSON. */
  body: string;
  /**
   * When the job was last released from its park (promoted: its turn came), in ms. BullMQ keeps no such
   * time, and the job's `delay` option still says parkMs: the queue gauges read this instead.
   */
  releasedAt?: number;
}

export function createCallbackQueue(connection: Redis | Cluster, prefix: string): Queue<CallbackJobData> {
  return new Queue<CallbackJobData>(CALLBACK_QUEUE, { connection, prefix });
}

/**
 * jobId = webhook-id, so publishing an event again while its job exists adds nothing. A job starts
 * parked (delayed by `parkMs`) and is promoted when it becomes the head of its email's order; the
 * park only matters if a process dies between two steps (the job then wakes up by itself).
 */
export function callbackJobOptions(msgId: string, parkMs: number): JobsOptions {
  return {
    jobId: msgId,
    delay: parkMs,
    attempts: CALLBACK_ATTEMPTS,
    backoff: { type: CALLBACK_BACKOFF },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}
