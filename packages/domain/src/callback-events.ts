import type { EmailRecord, RecipientState } from './email';
import type { RecipientStatus } from './status';
import { recipientAwaitsSend } from './awaiting-send';
import { INTERRUPTED_ATTEMPT_CODE } from './interrupted-attempt';
import {
  CallbackBody,
  CallbackReply,
  EMAIL_CALLBACK_STATUSES,
  EmailCallbackData,
  EmailCallbackType,
  SettingsFailingData,
} from './callback-body-schema';

/**
 * The events Mailroom tells the platform about (signed callbacks, Standard Webhooks). Each is
 * `{ type, timestamp, data }` on the wire (callback-body-schema.ts states that body, and the types of
 * `data` are its schemas' output); `key` and `orderKey` travel beside it: the key makes the webhook-id
 * (the same event always gets the same id), and events sharing an order key are delivered one after
 * the other. Never a secret or a body.
 */

interface CallbackEnvelope {
  /** Stable for this event: re-publishing it keeps its webhook-id. Unique within the order key. */
  key: string;
  /** Events of one order key are delivered in order: `email:<emailId>`, `settings:<tenantId>`. */
  orderKey: string;
  /** When it happened (ISO 8601); the payload's `timestamp`. */
  timestamp: string;
}

export type CallbackEvent =
  | (CallbackEnvelope & { type: EmailCallbackType; data: EmailCallbackData })
  | (CallbackEnvelope & { type: 'settings.failing'; data: SettingsFailingData });

/** The body sent to the platform: exactly this, nothing of the envelope. */
export function callbackPayload(event: CallbackEvent): CallbackBody {
  return { type: event.type, timestamp: event.timestamp, data: event.data };
}

const TYPE_OF_STATUS = new Map<RecipientStatus, EmailCallbackType>(
  Object.entries(EMAIL_CALLBACK_STATUSES).flatMap(([type, statuses]) =>
    statuses.map((s): [RecipientStatus, EmailCallbackType] => [s, type as EmailCallbackType]),
  ),
);

export const emailOrderKey = (emailId: string): string => `email:${emailId}`;
export const settingsOrderKey = (tenantId: string): string => `settings:${tenantId}`;

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

/**
 * The words behind a failure: the attempt made in this transition when there is one, else the
 * recipient's own. An interrupted attempt recorded as the email is given up (giveUp) is not why it
 * failed: the platform hears the give-up's reason, as it did before that attempt was recorded.
 */
function replyFor(r: RecipientState, before: EmailRecord, after: EmailRecord): CallbackReply | undefined {
  const attempt = after.attempts.length > before.attempts.length ? after.attempts[after.attempts.length - 1] : undefined;
  if (attempt && !attempt.ok && attempt.code !== INTERRUPTED_ATTEMPT_CODE && (r.status === 'failed' || r.status === 'deferred')) {
    const { code, responseCode, response, hint, hintKey, hintParams, hintThen } = attempt;
    return compact({ code, responseCode, response, hint, hintKey, hintParams, hintThen });
  }
  return compact({ responseCode: r.responseCode, response: r.reason, statusCode: r.statusCode });
}

const REPLY_STATUSES: ReadonlySet<RecipientStatus> = new Set(['deferred', 'failed', 'dropped', 'bounced', 'complained']);

/** Statuses only a server that took the email can report: reaching one from before acceptance implies it. */
const PAST_ACCEPTANCE: ReadonlySet<RecipientStatus> = new Set(['delivered', 'opened', 'bounced', 'complained']);

/**
 * The callbacks one history transition gives: one per recipient whose status changed (to accepted,
 * deferred, delivered, opened, bounced, complained, failed or dropped, suppressed, canceled), plus
 * `email.opened` without a recipient for the first person opening an email whose pixel cannot say
 * which recipient it was. Call it with the record before and after each store update; an update that
 * changed nothing (a duplicate provider event) gives nothing, and so does a machine open (it moves no
 * status and counts apart from people).
 *
 * Keys are `<status>:<recipient>:<attempt count>`, so repeating the call for the same transition gives
 * the same events, and a recipient deferred again after a later attempt gets a new one. A recipient
 * that jumps from before acceptance to a status only a server that took the email can report
 * (delivered, opened, bounced, complained: a provider's webhook recorded before the worker's own
 * acceptance) gives `email.accepted` first, so the platform always hears "accepted" before the rest.
 */
export function emailCallbackEvents(before: EmailRecord, after: EmailRecord): CallbackEvent[] {
  if (before === after) return [];
  const previous = new Map(before.recipients.map((r) => [r.email.toLowerCase(), r]));
  const attemptCount = after.attempts.length;
  const base = {
    tenantId: after.tenantId,
    emailId: after.id,
    ...(after.document ? { document: after.document } : {}),
    emailStatus: after.status,
    test: after.test,
  };
  const orderKey = emailOrderKey(after.id);
  const out: CallbackEvent[] = [];
  for (const r of after.recipients) {
    const address = r.email.toLowerCase();
    const was = previous.get(address);
    if (was?.status === r.status) continue;
    const type = TYPE_OF_STATUS.get(r.status);
    if (!type) continue;
    // A provider's event recorded before the worker recorded the acceptance (the worker's write then
    // changes nothing): the platform still hears "accepted" first, under the key the worker would use.
    if (was && recipientAwaitsSend(was, before) && PAST_ACCEPTANCE.has(r.status)) {
      out.push({
        type: 'email.accepted',
        key: `accepted:${address}:${attemptCount}`,
        orderKey,
        timestamp: r.updatedAt,
        data: { ...base, recipient: r.email, status: 'accepted' },
      });
    }
    const reply = REPLY_STATUSES.has(r.status) ? replyFor(r, before, after) : undefined;
    const data: EmailCallbackData = {
      ...base,
      recipient: r.email,
      status: r.status,
      ...(reply ? { reply } : {}),
      ...(r.status === 'bounced' && r.bounceType ? { bounceType: r.bounceType } : {}),
      ...(r.status === 'suppressed' && r.suppression ? { suppression: r.suppression } : {}),
    };
    out.push({ type, key: `${r.status}:${address}:${attemptCount}`, orderKey, timestamp: r.updatedAt, data });
  }
  const someoneOpened = out.some((e) => e.type === 'email.opened');
  if (!someoneOpened && before.opens.count === 0 && after.opens.count > 0) {
    out.push({
      type: 'email.opened',
      key: 'opened:email',
      orderKey,
      timestamp: after.opens.firstAt ?? after.updatedAt,
      data: { ...base, status: 'opened' },
    });
  }
  return out;
}

/**
 * The callbacks of a record as it is first stored: one whose recipients were already decided at
 * enqueue (suppressed) tells so, as if it had been queued a moment before. A plain queued record gives
 * nothing.
 */
export function createdEmailCallbackEvents(created: EmailRecord): CallbackEvent[] {
  const queued: EmailRecord = {
    ...created,
    status: 'queued',
    recipients: created.recipients.map((r) => ({ ...r, status: 'queued' })),
    attempts: [],
    opens: { count: 0, machineCount: 0 },
  };
  return emailCallbackEvents(queued, created);
}
