import type { CancelOutcome } from '@mailroom/queue';
import type { ApiDeps } from '../api-deps';

/**
 * Takes a canceled email's job out of the send queue: removed when it waits (waiting, delayed for a
 * retry or a rate limit, prioritized); `in-flight` when a worker holds it right now (BullMQ refuses to
 * remove a locked job, so a worker can never take a job this removed); `not-found` when there is none
 * (lost with Redis; the sweep would re-add it, and the worker then finds the email canceled). A
 * finished job (completed, failed) is removed too: harmless, the record decides whether it was sent.
 */
export async function withdrawSendJob(deps: ApiDeps, emailId: string): Promise<CancelOutcome> {
  const state = await deps.queue.getJobState(emailId);
  if (state === 'unknown') return 'not-found';
  if (state === 'active' || (await deps.queue.remove(emailId)) !== 1) return 'in-flight';
  return 'removed-from-queue';
}
