import type { EmailEvent, EmailRecord, RecipientState } from './email';
import { mergeEvents, moveRecipient, withSummary } from './history';
import { recipientAwaitsSend } from './send-lifecycle';
import { canMove } from './status';
import { newSuppression, Suppression } from './suppression';

/**
 * When an address goes on a tenant's suppression list, and what that does to an email. Pure: the
 * store keeps the list (`store.suppressions`), the send path asks it (`findActive`) and applies
 * `applySuppressions` to the record.
 */

export interface SuppressionContext {
  tenantId: string;
  emailId: string;
  now: string;
  bounceDays: number;
}

/** The part of a provider's event that decides (an IncomingEvent fits). */
export interface SuppressingEvent {
  type: string;
  recipient?: string;
  bounceType?: 'hard' | 'soft';
  reason?: string;
  responseCode?: number;
  statusCode?: string;
}

/**
 * The server's words behind its code: the enhanced code when there is one, else the reply code
 * (Mailgun's 550), before the words unless they already say it (SendGrid's "550 5.1.1 ...").
 */
function detailOf(ev: Pick<SuppressingEvent, 'reason' | 'responseCode' | 'statusCode'>): string | undefined {
  const code = ev.statusCode ?? (ev.responseCode !== undefined ? String(ev.responseCode) : undefined);
  const reason = ev.reason?.trim() ? ev.reason : undefined;
  if (code && reason && saysCode(reason, code)) return reason;
  const words = [code, reason].filter((s): s is string => !!s && s.trim() !== '');
  return words.length ? words.join(' ') : undefined;
}

function saysCode(words: string, code: string): boolean {
  return new RegExp(`(^|[^\\d.])${code.replace(/\./g, '\\.')}($|[^\\d.])`).test(words);
}

/**
 * A provider's webhook event (any provider, already normalised): a hard bounce suppresses with
 * `hard_bounce`, a complaint with `complaint`; a soft bounce, a deferral or a drop does not. The
 * recipient must be one of the email's (an event without one names the only recipient of a
 * single-recipient email), as applyEvent decides.
 */
export function suppressionForEvent(email: EmailRecord, ev: SuppressingEvent, ctx: SuppressionContext): Suppression | null {
  const reason = ev.type === 'complained' ? 'complaint' : ev.type === 'bounced' && ev.bounceType === 'hard' ? 'hard_bounce' : null;
  if (!reason) return null;
  const address = ev.recipient?.toLowerCase() ?? (email.recipients.length === 1 ? email.recipients[0].email.toLowerCase() : undefined);
  if (!address || !email.recipients.some((r) => r.email.toLowerCase() === address)) return null;
  return newSuppression(
    { tenantId: ctx.tenantId, address, reason, sourceEmailId: ctx.emailId, detail: detailOf(ev) },
    ctx.now,
    ctx.bounceDays,
  );
}

/** One recipient refused by an SMTP server (RecipientOutcome with accepted false, or a DeliveryError's rejectedRecipients entry). */
export interface SmtpRejection {
  email: string;
  responseCode?: number;
  response?: string;
}

const ENHANCED_CODE = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
/** Basic replies that speak of the mailbox itself: unavailable, not local, name not allowed. */
const MAILBOX_REPLIES: ReadonlySet<number> = new Set([550, 551, 553]);

/**
 * Whether a permanent SMTP refusal of one recipient is about that mailbox (it does not exist, is
 * disabled, cannot be named): only then does it go on the list. The enhanced status code (RFC 3463),
 * when the server gives one, decides: 5.1.x addressing (except 5.1.7 and 5.1.8, which are about the
 * sender) and 5.2.1 mailbox disabled suppress; a full mailbox (5.2.2), a too-large message, and
 * policy or security refusals (5.7.x: relaying denied, spam blocks, our login) do not, because they
 * are not the recipient's address and the next email may go. Without one, 550, 551 and 553 suppress.
 */
export function isMailboxRejection(rejection: Pick<SmtpRejection, 'responseCode' | 'response'>): boolean {
  const code = rejection.responseCode;
  if (code === undefined || code < 500 || code > 599 || code === 503) return false;
  const enhanced = rejection.response ? ENHANCED_CODE.exec(rejection.response) : null;
  if (enhanced) {
    const [, klass, subject, detail] = enhanced;
    if (klass !== '5') return false;
    if (subject === '1') return detail !== '7' && detail !== '8';
    return subject === '2' && detail === '1';
  }
  return MAILBOX_REPLIES.has(code);
}

/** A permanent SMTP refusal of one recipient's mailbox suppresses it with `smtp_rejected` (it expires like a bounce). */
export function suppressionForSmtpRejection(rejection: SmtpRejection, ctx: SuppressionContext): Suppression | null {
  if (!isMailboxRejection(rejection)) return null;
  return newSuppression(
    {
      tenantId: ctx.tenantId,
      address: rejection.email,
      reason: 'smtp_rejected',
      sourceEmailId: ctx.emailId,
      detail: detailOf({ reason: rejection.response }),
    },
    ctx.now,
    ctx.bounceDays,
  );
}

/**
 * Recipients the send path still has to send to: waiting for a send of ours (queued, sending, or
 * deferred by our own retry), not accepted, suppressed, canceled or failed, nor deferred by a provider
 * that already accepted the email (send-lifecycle.ts recipientAwaitsSend).
 */
export function sendableRecipients(email: EmailRecord): RecipientState[] {
  return email.recipients.filter((r) => recipientAwaitsSend(r, email));
}

/** What the history says about a suppressed recipient, in words an admin understands. */
export function suppressedReasonText(s: Pick<Suppression, 'reason' | 'createdAt'>): string {
  const why: Record<Suppression['reason'], string> = {
    hard_bounce: 'it bounced permanently',
    complaint: 'its owner marked an email as spam',
    manual: 'it was added by hand',
    smtp_rejected: 'the server refused the mailbox',
  };
  return `not sent: the address is on the suppression list since ${s.createdAt.slice(0, 10)} (${why[s.reason]})`;
}

/**
 * Marks the recipients on the list (active entries, as `findActive` answers) `suppressed` with the
 * reason, before any server is contacted; other recipients are left to be sent. Only a recipient still
 * waiting for a send of ours can be suppressed (never one a provider accepted and then deferred). An email whose every
 * recipient is suppressed ends `suppressed`. Null when nothing changes (a repeat writes nothing).
 */
export function applySuppressions(
  rec: EmailRecord,
  active: Pick<Suppression, 'address' | 'reason' | 'createdAt'>[],
  at: string,
  source: EmailEvent['source'],
): EmailRecord | null {
  const byAddress = new Map(active.map((s) => [s.address.toLowerCase(), s]));
  const events: EmailEvent[] = [];
  const recipients = rec.recipients.map((r) => {
    const hit = byAddress.get(r.email.toLowerCase());
    if (!hit || !recipientAwaitsSend(r, rec) || !canMove(r.status, 'suppressed')) return r;
    const reason = suppressedReasonText(hit);
    events.push({ type: 'suppressed', at, recipient: r.email, key: `suppressed:${r.email.toLowerCase()}`, source, reason });
    // moveRecipient drops an earlier deferral's `nextAttemptAt`: nothing is tried for it any more.
    return moveRecipient(r, 'suppressed', at, { reason, suppression: { reason: hit.reason, since: hit.createdAt } });
  });
  if (events.length === 0) return null;
  return withSummary({ ...rec, recipients, events: mergeEvents(rec.events, events) }, at);
}
