import type { JobState, Queue } from 'bullmq';
import { SendJobData, sendJobOptions, SendPolicy } from './send-queue';

/** What BullMQ holds for an email's job: its state ('unknown' when there is none), and why it failed. */
export interface SendJobFacts {
  state: JobState | 'unknown';
  failedReason?: string;
  attemptsMade?: number;
}

export async function inspectSendJob(queue: Queue<SendJobData>, emailId: string): Promise<SendJobFacts> {
  const job = await queue.getJob(emailId);
  if (!job) return { state: 'unknown' };
  const state = await job.getState();
  return { state, ...(job.failedReason ? { failedReason: job.failedReason } : {}), attemptsMade: job.attemptsMade };
}

/** `added`: there was no job; `replaced`: a finished one was removed first; `live`: a job waits or runs already. */
export type ReaddOutcome = 'added' | 'replaced' | 'live';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed']);

/**
 * The one place that (re-)adds an email's send job outside the enqueue hot path: the retry route and
 * the worker's sweep call it. The job id is the email id and BullMQ ignores an add whose id exists in
 * ANY state, so a finished job (failed for good, or completed while the record still waits) is removed
 * first; a waiting, delayed or active one is left as it is. Later admission rules (per-tenant lanes)
 * belong here, so every re-add obeys them.
 */
export async function readdSendJob(queue: Queue<SendJobData>, data: SendJobData, policy: SendPolicy): Promise<ReaddOutcome> {
  const existing = await queue.getJob(data.emailId);
  let outcome: ReaddOutcome = 'added';
  if (existing) {
    if (!FINISHED.has(await existing.getState())) return 'live';
    // 0 when it went meanwhile (removeOnComplete) or was retried and taken: the add below is then harmless.
    await queue.remove(data.emailId);
    outcome = 'replaced';
  }
  await queue.add('send', data, sendJobOptions(data.emailId, policy));
  return outcome;
}
