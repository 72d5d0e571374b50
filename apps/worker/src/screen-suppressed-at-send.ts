import { applySuppressions, EmailRecord, sendableRecipients, withoutAttemptInFlight } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { WorkerDeps } from './worker-deps';

/**
 * The send-time check of the tenant's suppression list. The enqueue checked it already, but an
 * address may have gone on the list since (another email's bounce, a complaint, by hand): such
 * recipients are recorded `suppressed` with the reason before any server is contacted, and the others
 * still go. Answers the record to send (its recipients waiting for a send are exactly those to put on
 * the wire), or null when nobody is left: every recipient suppressed, or the email canceled meanwhile
 * (which the cancel route allows only while no worker holds the job: a guard). Then no attempt starts,
 * and markSending's mark of one in flight goes, in the same write as the suppressions.
 */
export async function screenSuppressedAtSend(deps: WorkerDeps, email: EmailRecord, log: Logger): Promise<EmailRecord | null> {
  const waiting = sendableRecipients(email);
  if (waiting.length === 0) {
    // A record already without a mark needs no write (nor the store's write lock). With one, the mark goes.
    if (email.attemptInFlightSince === undefined) return nothingToSend(email, log);
    const settled = await deps.store.emails.update(email.tenantId, email.id, (e) =>
      e.attemptInFlightSince !== undefined && sendableRecipients(e).length === 0 ? withoutAttemptInFlight(e) : null,
    );
    return nothingToSend(settled ?? email, log);
  }
  const now = deps.now().toISOString();
  const active = await deps.store.suppressions.findActive(
    email.tenantId,
    waiting.map((r) => r.email),
    now,
  );
  if (active.length === 0) return email;
  const screened =
    (await deps.store.emails.update(email.tenantId, email.id, (e) => {
      const applied = applySuppressions(e, active, now, 'worker');
      return applied && sendableRecipients(applied).length === 0 ? withoutAttemptInFlight(applied) : applied;
    })) ?? email;
  log.info({ suppressed: active.length }, 'recipients on the suppression list: not sent to them');
  return sendableRecipients(screened).length > 0 ? screened : nothingToSend(screened, log);
}

function nothingToSend(email: EmailRecord, log: Logger): null {
  log.info({ status: email.status }, 'no recipient left to send to; not sending');
  return null;
}
