import { EmailRecord, isContentPurged, reopenFailed } from '@mailroom/domain';
import { readdSendJob, sendJobOptionsFor } from '@mailroom/queue';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { loadTenant } from '../routes/load-tenant';
import { withinMs } from '@mailroom/runtime';

/**
 * `POST .../emails/:emailId/retry`: a failed email gets a new attempt on the same record. Its failed
 * recipients go back to `queued` (decision 0012), then the failed job BullMQ keeps under the same id is
 * removed and the email enters its tenant's lane again like a new one (its job added, or a place in the
 * backlog: decision 0026). An email whose content retention deleted is gone for good (410).
 * If the job cannot be added the record is put back exactly as it was, its lane place is given back
 * (best effort: a job added late would find the email failed and re-open it), and the caller hears
 * 503: nothing half-done, the retry may be retried.
 */
export async function retryEmail(deps: ApiDeps, tenantId: string, emailId: string): Promise<EmailRecord> {
  await loadTenant(deps, tenantId);
  const email = await deps.store.emails.get(tenantId, emailId);
  if (!email) throw new HttpError(404, 'email_not_found', `no email ${emailId} for tenant ${tenantId}`);
  if (email.test) throw new HttpError(409, 'test_email_not_retryable', `email ${emailId} is a test email: send a new test instead`);
  const notFailed = (status: string) =>
    new HttpError(409, 'email_not_failed', `email ${emailId} is ${status}: only a failed email can be retried`, { status });
  if (email.status !== 'failed') throw notFailed(email.status);
  if (isContentPurged(email))
    throw new HttpError(
      410,
      'content_purged',
      `email ${emailId} cannot be sent again: its content was deleted on ${email.contentPurgedAt} (CONTENT_RETENTION_SECONDS); enqueue the document again`,
    );

  const at = deps.now().toISOString();
  const reopened = await deps.store.emails.update(tenantId, emailId, (e) => (e.status === 'failed' ? reopenFailed(e, at, 'api') : null));
  if (!reopened) throw new HttpError(404, 'email_not_found', `no email ${emailId} for tenant ${tenantId}`);
  if (reopened.status === 'failed' || reopened.updatedAt !== at) throw notFailed(reopened.status);

  try {
    await withinMs(readdOnceReleased(deps, tenantId, emailId), deps.config.timeouts.enqueueMs, 'the send queue');
  } catch (e) {
    deps.logger.error({ err: e, tenantId, emailId }, 'could not add the retry job; putting the email back as it was');
    const restored = await deps.store.emails.update(tenantId, emailId, (cur) => (cur.updatedAt === reopened.updatedAt ? email : null));
    // Changed meanwhile (the sweep re-added it and a worker took it): the retry is under way after all.
    if (restored?.status === 'failed') {
      withdrawUndoneRetry(deps, tenantId, emailId);
      throw new HttpError(503, 'queue_unavailable', 'the send queue is unavailable; the email was left failed, retry the request');
    }
  }
  deps.logger.info({ tenantId, emailId }, 'email re-opened for a retry');
  return reopened;
}

/** How often a retry looks again at a send job a worker still holds. */
const HELD_JOB_POLL_MS = 50;

/**
 * Re-adds the email's send job once no worker holds it. The worker that recorded the failure moves
 * its job to failed only after that write: a retry between the two found the job `active`, added
 * nothing (`live`), and the job then failed, leaving the email re-opened with no job until the sweep
 * failed it again (decision 0078). A waiting or delayed job is left to run: it finds the email re-opened.
 * Bounded by the caller (ENQUEUE_TIMEOUT_MS): a job held longer answers 503 and the email is put back.
 */
async function readdOnceReleased(deps: ApiDeps, tenantId: string, emailId: string): Promise<void> {
  // The caller's bound stops waiting for the answer; this one stops the polling behind it.
  const until = Date.now() + deps.config.timeouts.enqueueMs;
  for (;;) {
    const outcome = await readdSendJob(deps.queue, deps.lanes, { tenantId, emailId }, sendJobOptionsFor(deps.config.send));
    if (outcome !== 'live' || (await deps.queue.getJobState(emailId)) !== 'active') return;
    if (Date.now() >= until) throw new Error(`a worker still holds the send job of ${emailId}`);
    await new Promise((resolve) => setTimeout(resolve, HELD_JOB_POLL_MS));
  }
}

/**
 * After a retry was undone (the email is failed again), its lane place and any job of it waiting in the
 * queue go, so that nothing re-opens and sends the email behind the caller's 503; the failed job BullMQ
 * keeps stays. In the background and best effort (the caller is not kept waiting on a Redis that just
 * failed). What this cannot reach (Redis down, or an add that lands later still) is what it was before
 * the lanes: a job that finds the email failed re-opens it, and the sweep frees a slot left behind.
 */
function withdrawUndoneRetry(deps: ApiDeps, tenantId: string, emailId: string): void {
  const withdraw = async () => {
    const where = await deps.lanes.removeFromBacklog(tenantId, emailId);
    if (where === 'backlog') return;
    const state = await deps.queue.getJobState(emailId);
    // A worker holds it: the retry goes on after all, and that job gives the slot back.
    if (state === 'active') return;
    if (state !== 'failed' && state !== 'completed' && state !== 'unknown') await deps.queue.remove(emailId);
    if (where === 'admitted') await deps.lanes.releaseAndPromote(deps.queue, tenantId, emailId, sendJobOptionsFor(deps.config.send));
  };
  void withinMs(withdraw(), deps.config.timeouts.enqueueMs, 'the tenant lanes').catch((err: unknown) =>
    deps.logger.warn({ err, tenantId, emailId }, 'could not withdraw the undone retry from its lane; the sweep will'),
  );
}
