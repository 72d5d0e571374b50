import type { Queue } from 'bullmq';
import type { SendJobData } from '../send-queue';
import { addSendJobs, JobOptionsFor, TenantLanes } from './tenant-lanes';

export interface LaneRepairs {
  /** Admitted ids whose job did not exist: re-added (the process died between admitting and adding). */
  readded: string[];
  /** Admitted ids whose job had already finished: released (it died before releasing, or the job failed stalled). */
  released: string[];
  /** Backlog ids moved into free slots and added. */
  promoted: string[];
}

export interface ReconcileOptions {
  /**
   * Only ids admitted at least this long ago are checked, so an enqueue in progress (admitted, job
   * about to be added) is left alone. A few seconds is plenty; the sweep period is a good choice.
   */
  graceMs: number;
  now?: number;
}

/**
 * The sweep's repair of the lanes against BullMQ, for every gap a crash can leave: admitted ids whose
 * job is missing (re-added: jobId = email id, and the worker does not send an email that is already
 * settled, so even a job that completed and was then removed by removeOnComplete is harmless to add
 * again), admitted ids whose job finished (released, and their successors promoted and added), and
 * tenants with a backlog but free slots (promoted and added). Safe to run from several workers at
 * once: every step is idempotent.
 */
export async function reconcileLanes(
  lanes: TenantLanes,
  queue: Queue<SendJobData>,
  jobOptionsFor: JobOptionsFor,
  options: ReconcileOptions,
): Promise<LaneRepairs> {
  const repairs: LaneRepairs = { readded: [], released: [], promoted: [] };
  const checkBefore = (options.now ?? Date.now()) - options.graceMs;
  for (const tenantId of await lanes.tenants()) {
    const admitted = await lanes.admittedSince(tenantId, checkBefore);
    const states = await Promise.all(admitted.map((id) => queue.getJobState(id)));
    const missing = admitted.filter((_, i) => states[i] === 'unknown');
    await addSendJobs(queue, tenantId, missing, jobOptionsFor);
    repairs.readded.push(...missing);
    for (const id of admitted.filter((_, i) => states[i] === 'completed' || states[i] === 'failed')) {
      repairs.promoted.push(...(await lanes.releaseAndPromote(queue, tenantId, id, jobOptionsFor)));
      repairs.released.push(id);
    }
    repairs.promoted.push(...(await lanes.promoteAndAdd(queue, tenantId, jobOptionsFor)));
  }
  return repairs;
}
