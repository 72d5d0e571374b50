import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { giveUp } from '@mailroom/domain';
import { deferJob, SendJobData } from '@mailroom/queue';
import { RetryScheduledError } from './after-failure';
import { deliverEmail } from './deliver-email';
import type { WorkerDeps } from './worker-deps';

/** What deliverEmail throws once the outcome is in the history: BullMQ only has to act on it. */
function isRecorded(e: unknown): boolean {
  return e instanceof DelayedError || e instanceof UnrecoverableError || e instanceof RetryScheduledError;
}

/**
 * The BullMQ processor. Anything else deliverEmail throws happened before a send could be recorded
 * (the store or Redis failing in its first lines): BullMQ retries it with its attempts, and on the
 * last one the email is marked failed with the reason here, so it does not stay queued. If even that
 * write fails, the sweep finds the failed job and does it (requeue-stuck-emails.ts).
 */
export async function processSendJob(deps: WorkerDeps, job: Job<SendJobData>, token?: string): Promise<void> {
  const max = job.opts.attempts ?? deps.config.send.attempts;
  try {
    await deliverEmail(deps, { data: job.data, made: job.attemptsMade, max, defer: (untilMs) => deferJob(job, token, untilMs) });
  } catch (e) {
    if (isRecorded(e) || job.attemptsMade + 1 < max) throw e;
    const reason = `the job failed ${max} time(s) before a send could be recorded: ${(e as Error)?.message ?? String(e)}`;
    const { tenantId, emailId } = job.data;
    await deps.store.emails
      .update(tenantId, emailId, (rec) => giveUp(rec, { code: 'EJOB', reason }, deps.now().toISOString()))
      .catch((err: unknown) => deps.logger.error({ err, tenantId, emailId }, 'could not mark the email failed; the sweep will'));
    throw e;
  }
}
