import type { EmailRecord } from '@mailroom/domain';
import type { SendJobFacts } from '@mailroom/queue';

/**
 * What the sweep does for an email that still waits for a send once it is overdue, from its job's
 * state in BullMQ (decision 0013):
 * - waiting, delayed, prioritized, active: the job will run (or runs): leave it;
 * - missing (lost with a Redis restart, or never added: the API died between the two writes): re-add;
 * - completed while the record still waits (the job ended but its outcome never reached the store):
 *   re-add, after removing the finished job, which would otherwise swallow the add;
 * - failed: BullMQ gave up (attempts used up by errors before a send, or stalled too often): the email
 *   is marked failed with the job's reason. Not re-added: our attempts are BullMQ's, and a job that
 *   keeps failing before it can send would otherwise loop for ever. `POST .../retry` re-opens it.
 * A test email has no job (the API sends it itself): once its request is surely over, it failed.
 */
export type Repair = { kind: 'leave' } | { kind: 'readd' } | { kind: 'give_up'; code: string; reason: string };

export function decideRepair(email: EmailRecord, job: SendJobFacts, ctx: { testEmailsOverBefore: string }): Repair {
  if (email.test) {
    return email.updatedAt < ctx.testEmailsOverBefore
      ? { kind: 'give_up', code: 'ETEST', reason: 'the test request ended before its outcome was recorded' }
      : { kind: 'leave' };
  }
  switch (job.state) {
    case 'unknown':
    case 'completed':
      return { kind: 'readd' };
    case 'failed':
      return { kind: 'give_up', code: 'EJOB', reason: job.failedReason ?? 'the send job failed' };
    default:
      return { kind: 'leave' };
  }
}
