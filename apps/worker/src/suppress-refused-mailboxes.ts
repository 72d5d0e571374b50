import { isDeliveryError, SendingMode, SmtpRejection, suppressionForSmtpRejection, Suppression } from '@mailroom/domain';
import type { OutgoingMessage, SendResult, Transport } from '@mailroom/transports';
import type { Logger } from 'pino';
import type { WorkerDeps } from './worker-deps';

/**
 * Sends, and puts on the tenant's suppression list every recipient an SMTP server refused for the
 * mailbox itself (5.1.1 no such user, 5.2.1 disabled...: domain suppressionForSmtpRejection), whether
 * the server took the others (the send succeeds with that recipient refused) or refused everyone (the
 * send throws, with the refusals on the error). The send's outcome is returned or thrown unchanged.
 * Not in provider mode: a provider's own refusals come back as webhook events (bounced, dropped),
 * which the webhook receivers judge.
 */
export async function sendSuppressingRefusedMailboxes(
  deps: WorkerDeps,
  transport: Transport,
  message: OutgoingMessage,
  mode: SendingMode,
  log: Logger,
): Promise<SendResult> {
  let result: SendResult;
  try {
    result = await transport.send(message);
  } catch (e) {
    if (mode !== 'provider' && isDeliveryError(e) && e.rejectedRecipients?.length) await suppress(deps, message, e.rejectedRecipients, log);
    throw e;
  }
  const refused = result.recipients.filter((r) => !r.accepted);
  if (mode !== 'provider' && refused.length > 0) await suppress(deps, message, refused, log);
  return result;
}

/** A failure to write the list is logged, never thrown: the send's own outcome must still be recorded. */
async function suppress(deps: WorkerDeps, message: OutgoingMessage, refusals: SmtpRejection[], log: Logger): Promise<void> {
  const now = deps.now().toISOString();
  const ctx = { tenantId: message.tenantId, emailId: message.emailId, now, bounceDays: deps.config.suppression.bounceDays };
  const entries = refusals.map((r) => suppressionForSmtpRejection(r, ctx)).filter((s): s is Suppression => s !== null);
  for (const entry of entries) {
    try {
      await deps.store.suppressions.add(entry, now);
      log.info({ reason: entry.reason }, 'the server refused a mailbox: address suppressed');
    } catch (err) {
      log.error({ err }, 'could not add a refused mailbox to the suppression list');
    }
  }
}
