import type { Attempt, EmailEvent, EmailEventType, EmailRecord, RecipientState, TransportChoice } from './email';
import type { HintKey, HintParams, HintThen } from './hint-keys';
import { canMove, RecipientStatus, summariseStatus } from './status';
import { withFinalAt } from './content-retention';
import { capOpenEvents, isRepeatOpen, rememberOpenClient } from './open-events';
import { smtpReplyCodes } from './smtp-reply-codes';

/**
 * Pure transitions of an email record. The store applies them atomically (read, mutate, write);
 * they return null when nothing changes, so a duplicate writes nothing.
 */

const EVENT_STATUS: Partial<Record<EmailEventType, RecipientStatus>> = {
  accepted: 'accepted',
  deferred: 'deferred',
  delivered: 'delivered',
  opened: 'opened',
  bounced: 'bounced',
  dropped: 'dropped',
  complained: 'complained',
  failed: 'failed',
};

/** The record with its email-level status recomputed from its recipients (and human opens). */
export function withSummary(rec: EmailRecord, at: string): EmailRecord {
  let status = summariseStatus(rec.recipients.map((r) => r.status));
  if (rec.opens.count > 0 && (status === 'accepted' || status === 'delivered')) status = 'opened';
  const { nextAttemptAt, ...rest } = rec;
  return withFinalAt({ ...rest, ...(status === 'deferred' && nextAttemptAt ? { nextAttemptAt } : {}), status, updatedAt: at }, at);
}

/** A recipient leaving a status leaves its `nextAttemptAt` behind (it belongs to our own deferral). */
export function moveRecipient(r: RecipientState, to: RecipientStatus, at: string, extra: Partial<RecipientState> = {}): RecipientState {
  if (!canMove(r.status, to)) return r;
  const { nextAttemptAt: _due, ...rest } = r;
  return { ...rest, ...extra, status: to, updatedAt: at };
}

/**
 * A send attempt starts: queued recipients become `sending`, and the record says an attempt is in
 * flight (`attemptInFlightSince`), deferred recipients tried again included: they stay `deferred`
 * during the attempt, so no status changes and no callback says it. The job exists, so an enqueue
 * still marked pending is committed here too; `transport` records what the worker really sends through.
 */
export function markSending(rec: EmailRecord, at: string, transport?: TransportChoice): EmailRecord | null {
  if (!rec.recipients.some((r) => r.status === 'queued' || r.status === 'deferred' || r.status === 'sending')) return null;
  const { pendingEnqueue: _committed, ...rest } = rec;
  return withSummary(
    {
      ...rest,
      attemptInFlightSince: at,
      ...(transport ? { transport } : {}),
      recipients: rec.recipients.map((r) => (r.status === 'queued' ? { ...r, status: 'sending' as const, updatedAt: at } : r)),
    },
    at,
  );
}

/** What a send answered for one recipient (a transport's RecipientOutcome is this). */
export interface SentRecipient {
  email: string;
  accepted: boolean;
  response?: string;
  responseCode?: number;
  /** Per-recipient provider id (Mailjet's MessageUUID). */
  providerMessageId?: string;
  /**
   * The transport's own word on whether a refusal is worth another try, when its `responseCode` is
   * not an SMTP reply (a provider API's HTTP status: Mailjet's 400 for an excluded recipient is final).
   */
  retryable?: boolean;
}

export interface SendSuccess {
  messageId: string;
  providerMessageId?: string;
  response?: string;
  durationMs?: number;
  recipients: SentRecipient[];
}

/**
 * A recipient the server refused for now, worth another try: the transport's own word when it gave
 * one, else a 4xx SMTP reply (mailbox busy, greylisted).
 */
export function refusedForNow(o: SentRecipient): boolean {
  if (o.accepted) return false;
  if (o.retryable !== undefined) return o.retryable;
  return o.responseCode !== undefined && o.responseCode >= 400 && o.responseCode < 500;
}

/**
 * The send went through. Only the recipients it addressed (the envelope: one outcome each) change: a
 * recipient already suppressed or canceled before the send was not in it, and hears nothing of it. A
 * refused recipient keeps the server's reply code and, when the reply has one, its enhanced status.
 * With `retryAt`, one refused for now (refusedForNow) is `deferred` until then, and the next attempt
 * goes to it alone; without (the last attempt), it fails as a permanent refusal does.
 */
export function applySendSuccess(rec: EmailRecord, ok: SendSuccess, at: string, retryAt?: string): EmailRecord {
  const byEmail = new Map(ok.recipients.map((o) => [o.email.toLowerCase(), o]));
  const events: EmailEvent[] = [];
  const attemptNo = rec.attempts.length + 1;
  const recipients = rec.recipients.map((r) => {
    const o = byEmail.get(r.email.toLowerCase());
    if (!o) return r;
    if (retryAt && refusedForNow(o) && (r.status === 'sending' || r.status === 'queued' || r.status === 'deferred')) {
      events.push({
        type: 'deferred',
        at,
        recipient: r.email,
        key: `worker:deferred:${attemptNo}:${r.email}`,
        source: 'worker',
        reason: o.response,
      });
      // Refused for now again (already deferred): the new reply and time replace the old ones.
      const { nextAttemptAt: _before, ...waiting } = withoutReply(r);
      return { ...waiting, status: 'deferred' as const, reason: o.response, ...smtpReplyCodes(o), nextAttemptAt: retryAt, updatedAt: at };
    }
    if (!o.accepted) {
      events.push({
        type: 'failed',
        at,
        recipient: r.email,
        key: `worker:rejected:${attemptNo}:${r.email}`,
        source: 'worker',
        reason: o.response,
      });
      return moveRecipient(r, 'failed', at, { reason: o.response, ...smtpReplyCodes(o) });
    }
    events.push({ type: 'accepted', at, recipient: r.email, key: `worker:accepted:${r.email}`, source: 'worker' });
    // A retry that went through leaves nothing of the failed attempt's reply on the recipient (the attempt keeps it).
    return moveRecipient(withoutReply(r), 'accepted', at, o.providerMessageId ? { providerMessageId: o.providerMessageId } : {});
  });
  const attempt: Attempt = { at, ok: true, response: ok.response, durationMs: ok.durationMs };
  return withSummary(
    {
      ...withoutAttemptInFlight(rec),
      messageId: ok.messageId,
      providerMessageId: ok.providerMessageId ?? rec.providerMessageId,
      // Kept only while the email is deferred (withSummary): a recipient refused for now waits until then.
      ...(retryAt ? { nextAttemptAt: retryAt } : {}),
      recipients,
      attempts: [...rec.attempts, attempt],
      events: mergeEvents(rec.events, events),
    },
    at,
  );
}

export interface SendFailure {
  code: string;
  retryable: boolean;
  responseCode?: number;
  response?: string;
  hint?: string;
  hintKey?: HintKey;
  hintParams?: HintParams;
  hintThen?: HintThen;
  rateLimited?: boolean;
  durationMs?: number;
}

const triedByTheAttempt = (r: RecipientState) => r.status === 'sending' || r.status === 'queued' || r.status === 'deferred';

/**
 * Who a failed attempt's event names. After a send that went through for the others (a recipient
 * refused for now tried again alone, or a retry of the ones that failed), the attempt was for some
 * recipients only: `recipients` lists them, and `recipient` is set too when it was one, as on every
 * event about one recipient. An attempt for the whole email names nobody, as always.
 */
function attemptFor(rec: EmailRecord): Pick<EmailEvent, 'recipient' | 'recipients'> {
  if (!rec.attempts.some((a) => a.ok)) return {};
  const emails = rec.recipients.filter(triedByTheAttempt).map((r) => r.email);
  if (emails.length === 0) return {};
  return { ...(emails.length === 1 ? { recipient: emails[0] } : {}), recipients: emails };
}

/**
 * Records a failed attempt. `final`: we give up (permanent error, or attempts exhausted); otherwise
 * the recipients are deferred until `nextAttemptAt`, which the history shows. Its event names the
 * recipients when the attempt was for some of them only (attemptFor).
 */
export function applySendFailure(rec: EmailRecord, fail: SendFailure, at: string, final: boolean, nextAttemptAt?: string): EmailRecord {
  const { rateLimited, ...facts } = fail;
  const attempt: Attempt = { at, ok: false, ...facts, ...(rateLimited ? { rateLimited: true } : {}) };
  const to: RecipientStatus = final ? 'failed' : 'deferred';
  const reason = fail.response ?? fail.code;
  const due = !final && nextAttemptAt ? { nextAttemptAt } : {};
  const recipients = rec.recipients.map((r) => {
    if (!triedByTheAttempt(r)) return r;
    const { nextAttemptAt: _previous, ...rest } = r;
    return { ...rest, status: to, reason, ...due, updatedAt: at };
  });
  const event: EmailEvent = {
    type: final ? 'failed' : 'deferred',
    at,
    ...attemptFor(rec),
    key: `worker:attempt:${rec.attempts.length + 1}`,
    source: 'worker',
    reason,
  };
  const { nextAttemptAt: _previous, ...rest } = withoutAttemptInFlight(rec);
  return withSummary({ ...rest, ...due, recipients, attempts: [...rec.attempts, attempt], events: mergeEvents(rec.events, [event]) }, at);
}

/** The record once the outcome of its attempt in flight is recorded (markSending's mark goes). */
export function withoutAttemptInFlight(rec: EmailRecord): EmailRecord {
  const { attemptInFlightSince: _recorded, ...rest } = rec;
  return rest;
}

/** Adds events whose key is new, keeping the timeline in time order. */
export function mergeEvents(existing: EmailEvent[], incoming: EmailEvent[]): EmailEvent[] {
  const keys = new Set(existing.map((e) => e.key));
  const out = [...existing];
  for (const e of incoming) {
    if (keys.has(e.key)) continue;
    keys.add(e.key);
    out.push(e);
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

export interface IncomingEvent extends EmailEvent {
  /** The SMTP reply code the provider reports (550): set on the recipient, not stored in the event. */
  responseCode?: number;
  bounceType?: 'hard' | 'soft';
  providerMessageId?: string;
  /** Who loaded the pixel (an opaque keyed hash): the same client within a minute counts once. Not stored in the event. */
  client?: string;
}

/** A recipient's reply (the words, both codes, the bounce type) describes its status: a new status starts without the old one. */
function withoutReply(r: RecipientState): RecipientState {
  const { reason: _reason, responseCode: _reply, statusCode: _code, bounceType: _bounce, ...rest } = r;
  return rest;
}

/**
 * A provider's or the pixel's event. A duplicate (same key) changes nothing; the status never moves
 * backwards; machine opens are kept in the timeline and counted apart from human opens. Opens are
 * bounded (open-events.ts): a repeat from the same client within a minute changes nothing, and the
 * timeline keeps the first and the latest open events only.
 */
export function applyEvent(rec: EmailRecord, ev: IncomingEvent, now: string): EmailRecord | null {
  if (rec.events.some((e) => e.key === ev.key)) return null;
  // An event about an address this email was never sent to is not this email's history.
  if (ev.recipient && !rec.recipients.some((r) => r.email.toLowerCase() === ev.recipient!.toLowerCase())) return null;
  const opening = ev.type === 'opened';
  if (opening && ev.client && isRepeatOpen(rec.openClients, ev.client, ev.at)) return null;
  const { bounceType, providerMessageId, client, responseCode, ...event } = ev;
  let opens = rec.opens;
  let recipients = rec.recipients;
  if (ev.type === 'opened') {
    opens = ev.machine
      ? { ...opens, machineCount: opens.machineCount + 1 }
      : {
          ...opens,
          count: opens.count + 1,
          firstAt: !opens.firstAt || ev.at < opens.firstAt ? ev.at : opens.firstAt,
          lastAt: !opens.lastAt || ev.at > opens.lastAt ? ev.at : opens.lastAt,
        };
  }
  const target = EVENT_STATUS[ev.type];
  const skipStatus = ev.type === 'opened' && ev.machine;
  if (target && !skipStatus) {
    const who = ev.recipient?.toLowerCase();
    // Without a recipient (our pixel is one per email) only a single-recipient email can say who opened.
    const applies = (r: RecipientState) => (who ? r.email.toLowerCase() === who : rec.recipients.length === 1);
    // The reason, the two codes and the bounce type are the reply of the status they came with: a move
    // takes the event's own or none, so a delivery after a deferral does not keep the deferral's 4.x.x,
    // nor a complaint after the delivery its 250 (nor the platform's callback for it).
    recipients = recipients.map((r) =>
      applies(r) && canMove(r.status, target)
        ? moveRecipient(withoutReply(r), target, now, {
            ...(ev.reason ? { reason: ev.reason } : {}),
            ...(responseCode !== undefined ? { responseCode } : {}),
            ...(ev.statusCode ? { statusCode: ev.statusCode } : {}),
            ...(bounceType ? { bounceType } : {}),
            ...(providerMessageId ? { providerMessageId } : {}),
          })
        : r,
    );
  }
  const timeline = capOpenEvents(mergeEvents(rec.events, [event]));
  if (timeline.omitted > 0) opens = { ...opens, omittedFromTimeline: (opens.omittedFromTimeline ?? 0) + timeline.omitted };
  const openClients = opening && client ? { openClients: rememberOpenClient(rec.openClients, client, ev.at) } : {};
  return withSummary({ ...rec, ...openClients, opens, recipients, events: timeline.events }, now);
}
