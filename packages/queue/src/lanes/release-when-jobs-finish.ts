import type { Job, Queue, Worker } from 'bullmq';
import type { SendJobData } from '../send-queue';
import type { JobOptionsFor, TenantLanes } from './tenant-lanes';

/** A pino-compatible logger. */
export interface LanesLogger {
  error(obj: object, msg?: string): void;
}

/**
 * Wires a worker to the lanes: when one of its jobs leaves BullMQ for good (completed, or failed with
 * no attempt left or unrecoverable) the slot is released and the tenant's next ids are added. A retry
 * or a deferral (moveToDelayed + DelayedError) keeps the slot: the job is still in BullMQ. A release
 * that fails, or a process that dies before it, is repaired by `reconcileLanes` in the sweep, as is a
 * job that failed by stalling too often (BullMQ moves those without a worker event).
 */
export function releaseWhenJobsFinish(worker: Worker<SendJobData>, lanes: TenantLanes, queue: Queue<SendJobData>, jobOptionsFor: JobOptionsFor, logger: LanesLogger): void {
  const release = (job: Job<SendJobData>) => {
    const { tenantId, emailId } = job.data;
    lanes.releaseAndPromote(queue, tenantId, emailId, jobOptionsFor).catch((err: unknown) => {
      logger.error({ err, tenantId, emailId, jobId: job.id }, 'could not release the tenant lane slot; the sweep will');
    });
  };
  worker.on('completed', release);
  worker.on('failed', (job) => {
    // BullMQ sets finishedOn only when the job moved to failed for good, not when it will be retried.
    if (job?.finishedOn !== undefined) release(job);
  });
}
