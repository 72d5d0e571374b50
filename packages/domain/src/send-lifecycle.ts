import type { EmailEvent, EmailRecord, RecipientState } from './email';
import { awaitsSend, recipientAwaitsSend } from './awaiting-send';
import { mergeEvents, moveRecipient, withSummary } from './history';
import { INTERRUPTED_NOT_SENT_AGAIN_WORDS, INTERRUPTED_TEST_EMAIL_WORDS, withInterruptedAttempt } from './interrupted-attempt';

export { awaitsSend, recipientAwaitsSend };

/**
 * Where an email stands in *our* sending pipeline, and the two transitions outside the attempt loop:
 * a retry re-opens a failed email, and giving up ends one that can no longer be sent. Pure: the
 * stores apply them atomically, the worker and the sweep decide with the same predicates.
 */

/**
 * When the sweep should wonder whether the email's job still exists: the last change, or the next
 * try if that is later. Null when nothing waits for a send. The stores index it (`send_due_at`).
 */
export function sendDueAt(rec: EmailRecord): string | null {
  if (!awaitsSend(rec)) return null;
  return rec.nextAttemptAt && rec.nextAttemptAt > rec.updatedAt ? rec.nextAttemptAt : rec.updatedAt;
}

/** The email as the next send addresses it: only the recipients still waiting (a retry leaves the accepted alone). */
export function narrowToAwaiting(rec: EmailRecord): EmailRecord {
  const waiting = new Set(rec.recipients.filter((r) => recipientAwaitsSend(r, rec)).map((r) => `${r.kind}:${r.email.toLowerCase()}`));
  const keep = (kind: RecipientState['kind']) => (a: { email: string }) => waiting.has(`${kind}:${a.email.toLowerCase()}`);
  return { ...rec, to: rec.to.filter(keep('to')), cc: rec.cc.filter(keep('cc')), bcc: rec.bcc.filter(keep('bcc')) };
}

/**
 * A retry: the failed recipients go back to `queued` for a new attempt on the same record; the
 * accepted, bounced or dropped ones are left alone. The one move down the status ladder, because a
 * person (or ops) asked for it (decision 0012). Null when no recipient failed.
 */
export function reopenFailed(rec: EmailRecord, at: string, source: 'api' | 'worker'): EmailRecord | null {
  if (!rec.recipients.some((r) => r.status === 'failed')) return null;
  const recipients = rec.recipients.map((r): RecipientState => {
    if (r.status !== 'failed') return r;
    const { reason: _reason, responseCode: _reply, statusCode: _code, bounceType: _bounce, nextAttemptAt: _due, ...rest } = r;
    return { ...rest, status: 'queued', updatedAt: at };
  });
  const retries = rec.events.filter((e) => e.key.startsWith('retry:')).length;
  const event: EmailEvent = { type: 'queued', at, key: `retry:${retries + 1}`, source, reason: 'retry' };
  return withSummary({ ...rec, recipients, events: mergeEvents(rec.events, [event]) }, at);
}

/**
 * The email cannot be sent any more (its job failed for good before a send could be recorded, or
 * vanished after its attempts ran out, or BullMQ gave it up as stalled too often): every recipient
 * still waiting becomes `failed` with the reason. An attempt still in flight (its worker stopped
 * mid-send) is recorded first as `interrupted`, saying it was not sent again: the server may have
 * received it (a test email's says to check the inbox and send another test). Null when nothing waits.
 */
export function giveUp(rec: EmailRecord, failure: { code: string; reason: string }, at: string): EmailRecord | null {
  if (!awaitsSend(rec)) return null;
  const interrupted = rec.test
    ? withInterruptedAttempt(rec, at, 'send.interruptedTestEmail', INTERRUPTED_TEST_EMAIL_WORDS)
    : withInterruptedAttempt(rec, at, 'send.interruptedNotSentAgain', INTERRUPTED_NOT_SENT_AGAIN_WORDS);
  return giveUpWaiting(interrupted ?? rec, failure, at);
}

function giveUpWaiting(rec: EmailRecord, failure: { code: string; reason: string }, at: string): EmailRecord {
  const recipients = rec.recipients.map((r) =>
    recipientAwaitsSend(r, rec) ? moveRecipient(r, 'failed', at, { reason: failure.reason }) : r,
  );
  const givenUp = rec.events.filter((e) => e.key.startsWith('worker:gave-up:')).length;
  const event: EmailEvent = {
    type: 'failed',
    at,
    key: `worker:gave-up:${givenUp + 1}`,
    source: 'worker',
    reason: `${failure.code}: ${failure.reason}`,
  };
  const { pendingEnqueue: _pending, ...rest } = rec;
  return withSummary({ ...rest, recipients, events: mergeEvents(rec.events, [event]) }, at);
}

/**
 * The tenant's own sending limit is reached (decision 0030): every recipient still waiting becomes
 * `deferred` until `nextAttemptAt`, with the reason, and no attempt is recorded (nothing was tried).
 * One `deferred` event per attempt count: a job deferred again before its next attempt moves the
 * time of the next try without growing the timeline. The job exists, so an enqueue still marked
 * pending is committed here, as markSending does. Null when nothing waits.
 */
export function deferForSendingLimit(rec: EmailRecord, at: string, nextAttemptAt: string, reason: string): EmailRecord | null {
  if (!awaitsSend(rec)) return null;
  const recipients = rec.recipients.map((r): RecipientState => {
    if (!recipientAwaitsSend(r, rec)) return r;
    const { nextAttemptAt: _previous, ...rest } = r;
    return { ...rest, status: 'deferred', reason, nextAttemptAt, updatedAt: at };
  });
  const event: EmailEvent = { type: 'deferred', at, key: `worker:sending-limit:${rec.attempts.length}`, source: 'worker', reason };
  const { pendingEnqueue: _committed, ...rest } = rec;
  return withSummary({ ...rest, nextAttemptAt, recipients, events: mergeEvents(rec.events, [event]) }, at);
}
