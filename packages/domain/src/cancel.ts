import type { EmailEvent, EmailRecord } from './email';
import { mergeEvents, moveRecipient, withSummary } from './history';
import { awaitsSend, recipientAwaitsSend } from './send-lifecycle';

/**
 * Cancel (`POST .../emails/:emailId/cancel`): the platform stops an email nobody has accepted yet.
 * Pure; the API checks, removes the job, then applies `applyCancel` atomically (decision 0035).
 */

/**
 * Where an email stands for a cancel:
 * - `cancelable`: `queued` or `deferred` by our own retry or a rate limit, a send of ours still pending;
 * - `sending`: an attempt is on the wire right now (its outcome will be recorded);
 * - `canceled`: already (a repeated cancel is answered with the record);
 * - `settled`: anything else: accepted or further, failed, suppressed, or deferred by a provider
 *   after it accepted the email (the provider retries it, not us).
 */
export type Cancelability = 'cancelable' | 'sending' | 'canceled' | 'settled';

export function cancelability(rec: EmailRecord): Cancelability {
  // An email canceled beside a suppressed recipient shows `suppressed` (status.ts SEVERITY): still canceled.
  if (rec.status === 'canceled' || (!awaitsSend(rec) && rec.recipients.some((r) => r.status === 'canceled'))) return 'canceled';
  if (rec.status === 'sending') return 'sending';
  if ((rec.status === 'queued' || rec.status === 'deferred') && awaitsSend(rec)) return 'cancelable';
  return 'settled';
}

/**
 * Every recipient still waiting for a send of ours becomes `canceled`; the others (a suppressed one)
 * stay as they are. The next try goes with the deferral. Null when the email is not `cancelable`, so
 * a cancel racing a send that started meanwhile writes nothing.
 */
export function applyCancel(rec: EmailRecord, at: string): EmailRecord | null {
  if (cancelability(rec) !== 'cancelable') return null;
  const reason = 'canceled before it was sent';
  const recipients = rec.recipients.map((r) => (recipientAwaitsSend(r, rec) ? moveRecipient(r, 'canceled', at, { reason }) : r));
  const event: EmailEvent = { type: 'canceled', at, key: 'api:canceled', source: 'api', reason };
  return withSummary({ ...rec, recipients, events: mergeEvents(rec.events, [event]) }, at);
}
