import { applyCancel, cancelability, EmailRecord } from '@mailroom/domain';
import { withinMs } from '@mailroom/runtime';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { loadTenant } from '../routes/load-tenant';
import { withdrawSendJob } from './withdraw-send-job';

/**
 * `POST .../emails/:emailId/cancel`: stops an email nobody has accepted yet (`queued`, or `deferred` by
 * our own retry or a rate limit). Reads as its flow: the email and whether it may be canceled; its job
 * out of the queue, or its place out of the tenant's backlog, first (a job a worker holds right now
 * cannot be removed: 409 `email_sending`, the record untouched, because that send may well succeed);
 * then every waiting recipient `canceled`, one atomic write that checks again (decision 0035). The
 * store tells the platform (`email.canceled`). A repeated cancel answers the canceled email as it is.
 */
export async function cancelEmail(deps: ApiDeps, tenantId: string, emailId: string): Promise<EmailRecord> {
  await loadTenant(deps, tenantId);
  const email = await deps.store.emails.get(tenantId, emailId);
  if (!email) throw new HttpError(404, 'email_not_found', `no email ${emailId} for tenant ${tenantId}`);
  if (email.test)
    throw new HttpError(409, 'test_email_not_cancelable', `email ${emailId} is a test email: it is sent at once, within its request`);
  if (refuseOrRepeat(email)) return email;

  const where = await withinMs(withdrawSendJob(deps, tenantId, emailId), deps.config.timeouts.enqueueMs, 'the send queue');
  if (where === 'in-flight') throw sendingNow(email);
  const at = deps.now().toISOString();
  let wrote = false;
  const canceled = await deps.store.emails.update(tenantId, emailId, (e) => {
    const next = applyCancel(e, at);
    wrote = next !== null;
    return next;
  });
  if (!canceled) throw new HttpError(404, 'email_not_found', `no email ${emailId} for tenant ${tenantId}`);
  // Changed between the read and the write (a worker took it before its job was removed, another cancel won): its status answers.
  if (!wrote && !refuseOrRepeat(canceled)) throw sendingNow(canceled);
  if (wrote) deps.logger.info({ tenantId, emailId, job: where }, 'email canceled');
  return canceled;
}

/** True for an email canceled already (answered as it is); throws 409 for one that cannot be; false when it may be canceled. */
function refuseOrRepeat(email: EmailRecord): boolean {
  switch (cancelability(email)) {
    case 'cancelable':
      return false;
    case 'canceled':
      return true;
    case 'sending':
      throw sendingNow(email);
    case 'settled':
      throw new HttpError(
        409,
        'email_not_cancelable',
        `email ${email.id} is ${email.status}: only an email not yet accepted (queued, or deferred by our own retry) can be canceled`,
        { status: email.status },
      );
  }
}

const sendingNow = (email: EmailRecord) =>
  new HttpError(409, 'email_sending', `email ${email.id} is being sent right now: it can no longer be canceled`, { status: 'sending' });
