import { recipientAwaitsSend } from './awaiting-send';
import type { Attempt, EmailEvent, EmailRecord } from './email';
import type { HintKey } from './hint-keys';
import { hintOf } from './hint-not-retried';
import { mergeEvents, withoutAttemptInFlight, withSummary } from './history';

/** The code of an attempt whose worker stopped before its outcome was recorded. */
export const INTERRUPTED_ATTEMPT_CODE = 'interrupted';

const WHAT_HAPPENED =
  'the worker stopped in the middle of this attempt (it was killed, or lost its lock) before the outcome was recorded: the server may or may not have received the message';

/** What the history says of such an attempt when another followed it (the attempt's hint; the admin UI says it in its reader's language). */
export const INTERRUPTED_ATTEMPT_WORDS = `${WHAT_HAPPENED}, so the recipient may get it twice (the copies share one Message-ID). The email was sent again.`;

/** What it says when none followed: the email was given up (giveUp) with this attempt still in flight. */
export const INTERRUPTED_NOT_SENT_AGAIN_WORDS = `${WHAT_HAPPENED}. It was not sent again (see the failed event): before sending it again, check whether the recipient got it, or they may get it twice.`;

/** The same for a test email, which the API sent itself and nothing sends again: a second test costs nothing. */
export const INTERRUPTED_TEST_EMAIL_WORDS =
  'the request that sent this test email ended in the middle of this attempt, before the outcome was recorded: the server may or may not have received the message. Nothing sends a test email again: check the inbox it went to, and send another test if it did not arrive.';

/**
 * Whether an attempt of ours started and never recorded its outcome: markSending's mark is still
 * there. A record written before that mark existed says it by a recipient still `sending`, unless its
 * last attempt is already the interrupted one (its recipients stay `sending` until the next outcome).
 */
export function hasAttemptInFlight(rec: EmailRecord): boolean {
  if (rec.attemptInFlightSince !== undefined) return true;
  return rec.recipients.some((r) => r.status === 'sending') && rec.attempts.at(-1)?.code !== INTERRUPTED_ATTEMPT_CODE;
}

/**
 * A send attempt starts on a record whose attempt before it never recorded its outcome, because its
 * worker died mid-send and BullMQ gave the job to another (decision 0064): a first attempt, or the
 * retry of a `deferred` email or of its deferred recipients. That attempt is recorded as
 * `interrupted` (a failed attempt, tried again: this one) with an `interrupted` event naming the
 * recipients it was for when it was not for all, so the history shows that a duplicate is possible.
 * No recipient's status changes (the first attempt's stay `sending`, a retry's stay `deferred`), so no
 * callback; the mark goes, and the attempt that starts sets its own. Null when no attempt was in flight.
 */
export function recordInterruptedAttempt(rec: EmailRecord, at: string): EmailRecord | null {
  return withInterruptedAttempt(rec, at, 'send.interrupted', INTERRUPTED_ATTEMPT_WORDS);
}

/** The interrupted attempt and its event, with the hint `hintKey` in `words`; null when no attempt was in flight. */
export function withInterruptedAttempt(rec: EmailRecord, at: string, hintKey: HintKey, words: string): EmailRecord | null {
  if (!hasAttemptInFlight(rec)) return null;
  const cut = rec.recipients.filter((r) => recipientAwaitsSend(r, rec)).map((r) => r.email);
  if (cut.length === 0) return null;
  const attempt: Attempt = { at, ok: false, code: INTERRUPTED_ATTEMPT_CODE, retryable: true, ...hintOf(hintKey, words) };
  const forSome = cut.length < rec.recipients.length ? { ...(cut.length === 1 ? { recipient: cut[0] } : {}), recipients: cut } : {};
  const event: EmailEvent = {
    type: 'interrupted',
    at,
    ...forSome,
    key: `worker:interrupted:${rec.attempts.length + 1}`,
    source: 'worker',
    reason: 'the worker stopped mid-send: the server may or may not have received the message',
  };
  const recorded = withoutAttemptInFlight(rec);
  return withSummary({ ...recorded, attempts: [...rec.attempts, attempt], events: mergeEvents(rec.events, [event]) }, at);
}
