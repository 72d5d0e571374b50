import type { Attempt, EmailEvent, EmailRecord } from './email';
import { hintOf } from './hint-not-retried';
import { mergeEvents, withSummary } from './history';

/** The code of an attempt whose worker stopped before its outcome was recorded. */
export const INTERRUPTED_ATTEMPT_CODE = 'interrupted';

/** What the history says of such an attempt (the attempt's hint; the admin UI says it in its reader's language). */
export const INTERRUPTED_ATTEMPT_WORDS =
  'the worker stopped in the middle of this attempt (it was killed, or lost its lock) before the outcome was recorded: the server may or may not have received the message, so the recipient may get it twice (the copies share one Message-ID). The email was sent again.';

/**
 * A send attempt starts on a record still marked `sending` (markSending): the attempt before it never
 * recorded its outcome, because its worker died mid-send and BullMQ gave the job to another (decision
 * 0064). That attempt is recorded as `interrupted` (a failed attempt, tried again: this one) with an
 * `interrupted` event naming the recipients it was for when it was not for all, so the history shows
 * that a duplicate is possible. The recipients stay `sending` for the attempt that starts: no status
 * changes, so no callback. Null when no recipient is `sending` (nothing was interrupted).
 */
export function recordInterruptedAttempt(rec: EmailRecord, at: string): EmailRecord | null {
  const cut = rec.recipients.filter((r) => r.status === 'sending').map((r) => r.email);
  if (cut.length === 0) return null;
  const attempt: Attempt = {
    at,
    ok: false,
    code: INTERRUPTED_ATTEMPT_CODE,
    retryable: true,
    ...hintOf('send.interrupted', INTERRUPTED_ATTEMPT_WORDS),
  };
  const forSome = cut.length < rec.recipients.length ? { ...(cut.length === 1 ? { recipient: cut[0] } : {}), recipients: cut } : {};
  const event: EmailEvent = {
    type: 'interrupted',
    at,
    ...forSome,
    key: `worker:interrupted:${rec.attempts.length + 1}`,
    source: 'worker',
    reason: 'the worker stopped mid-send: the server may or may not have received the message',
  };
  return withSummary({ ...rec, attempts: [...rec.attempts, attempt], events: mergeEvents(rec.events, [event]) }, at);
}
