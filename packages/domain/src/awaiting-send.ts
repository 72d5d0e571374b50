import type { EmailRecord, RecipientState } from './email';

/* Whether an email waits for a send of ours: apart from send-lifecycle.ts so the interrupted attempt can ask it too. */

/**
 * Whether a recipient still waits for a send of ours: queued, being sent, or deferred by our own
 * retry. A `deferred` from a provider's webhook comes after the provider accepted the message (the
 * provider retries it, not us): it carries no `nextAttemptAt`, and the email has a `messageId`.
 */
export function recipientAwaitsSend(r: RecipientState, rec: Pick<EmailRecord, 'messageId'>): boolean {
  if (r.status === 'queued' || r.status === 'sending') return true;
  return r.status === 'deferred' && (r.nextAttemptAt !== undefined || rec.messageId === undefined);
}

export function awaitsSend(rec: EmailRecord): boolean {
  return rec.recipients.some((r) => recipientAwaitsSend(r, rec));
}
