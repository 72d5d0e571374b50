import type { JobState, Queue } from 'bullmq';
import type { JobOptionsFor, TenantLanes } from './lanes/tenant-lanes';
import type { SendJobData } from './send-queue';

/** What BullMQ holds for an email's job: its state ('unknown' when there is none), and why it failed. */
export interface SendJobFacts {
  state: JobState | 'unknown';
  failedReason?: string;
  attemptsMade?: number;
}

/**
 * The job's state, then the job: BullMQ writes a failed job's reason in the same script that moves it to
 * failed (a stalled job's too), so the job read after a `failed` state always carries the reason. Read
 * the other way round, a job that failed between the two reads came without it, and the sweep gave up
 * on its email with a generic reason instead of BullMQ's.
 */
export async function inspectSendJob(queue: Queue<SendJobData>, emailId: string): Promise<SendJobFacts> {
  const state = await queue.getJobState(emailId);
  if (state === 'unknown') return { state };
  const job = await queue.getJob(emailId);
  // Removed between the two reads: as if it had never been there.
  if (!job) return { state: 'unknown' };
  return { state, ...(state === 'failed' && job.failedReason ? { failedReason: job.failedReason } : {}), attemptsMade: job.attemptsMade };
}

/**
 * `added`: there was no job and one is in the queue now; `replaced`: a finished one was removed first;
 * `live`: a job waits or runs already; `backlogged`: the email waits in its tenant's backlog (it was
 * there already, or the tenant's slots are full), and its job is added when a slot frees.
 */
export type ReaddOutcome = 'added' | 'replaced' | 'live' | 'backlogged';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed']);

/**
 * The one place that (re-)adds an email's send job outside the enqueue hot path: the retry route and
 * the worker's sweep call it. The job id is the email id and BullMQ ignores an add whose id exists in
 * ANY state, so a finished job (failed for good, or completed while the record still waits) is removed
 * first; a waiting, delayed or active one is left as it is. Then the email goes through its tenant's
 * lane like any enqueue (decision 0026), so a re-add never puts a tenant over TENANT_MAX_IN_FLIGHT:
 * an id that still holds its slot keeps it (its job is added again), one that waits in the backlog
 * stays there, and a new one is admitted or backlogged.
 */
export async function readdSendJob(
  queue: Queue<SendJobData>,
  lanes: TenantLanes,
  data: SendJobData,
  jobOptionsFor: JobOptionsFor,
): Promise<ReaddOutcome> {
  const existing = await queue.getJob(data.emailId);
  let outcome: ReaddOutcome = 'added';
  if (existing) {
    if (!FINISHED.has(await existing.getState())) return 'live';
    // 0 when it went meanwhile (removeOnComplete) or was retried and taken: the add below is then harmless.
    await queue.remove(data.emailId);
    outcome = 'replaced';
  }
  const admission = await lanes.admitAndEnqueue(queue, data.tenantId, [data.emailId], jobOptionsFor);
  return admission.backlogged.includes(data.emailId) ? 'backlogged' : outcome;
}
