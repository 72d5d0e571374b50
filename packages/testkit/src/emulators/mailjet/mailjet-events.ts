import { randomUUID } from 'node:crypto';
import type { MailjetSentMessage } from './mailjet-emulator';
import { stringifyWithRawBigints } from './raw-bigint-json';

/**
 * Builders of Event API payloads shaped like the _event-api.md samples (contracts §3.3): the common
 * fields, each type's own fields, `CustomID` and `Payload` echoed verbatim from what was sent, and a
 * `bigint` `MessageID` that `postEvents` writes as raw digits.
 */
export interface MailjetEvent {
  event: string;
  time: number;
  MessageID: bigint;
  Message_GUID: string;
  email: string;
  CustomID: string;
  Payload: string;
  [field: string]: unknown;
}

/** Who and what an event is about: one recipient of one sent message. */
export interface MailjetEventTarget {
  email: string;
  /** The send answer's MessageUUID; a fresh one when absent. */
  messageGuid?: string;
  /** The send answer's MessageID (digits or bigint); a made-up 17-digit one when absent. */
  messageId?: bigint | string;
  /** Echoed verbatim: what the message carried as `CustomID` and `EventPayload`. */
  customId?: string;
  payload?: string;
}

export interface MailjetEventTiming {
  /** When it happened; now when absent. */
  at?: Date;
}

let madeUpId = 19421777835146490n;

function base(t: MailjetEventTarget, event: string, timing: MailjetEventTiming, own: Record<string, unknown>): MailjetEvent {
  return {
    event,
    time: Math.floor((timing.at ?? new Date()).getTime() / 1000),
    MessageID: t.messageId !== undefined ? BigInt(t.messageId) : madeUpId++,
    Message_GUID: t.messageGuid ?? randomUUID(),
    email: t.email,
    mj_campaign_id: 7257,
    mj_contact_id: 4,
    customcampaign: '',
    CustomID: t.customId ?? '',
    Payload: t.payload ?? '',
    ...own,
  };
}

const DESKTOP_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export const mailjetEvents = {
  sent: (t: MailjetEventTarget, o: MailjetEventTiming & { smtpReply?: string } = {}): MailjetEvent => {
    const e = base(t, 'sent', o, { smtp_reply: o.smtpReply ?? 'sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)' });
    return { ...e, mj_message_id: e.MessageID.toString() };
  },
  open: (t: MailjetEventTarget, o: MailjetEventTiming & { agent?: string; ip?: string } = {}): MailjetEvent =>
    base(t, 'open', o, { ip: o.ip ?? '127.0.0.1', geo: 'US', agent: o.agent ?? DESKTOP_AGENT }),
  click: (t: MailjetEventTarget, o: MailjetEventTiming & { url: string; agent?: string }): MailjetEvent =>
    base(t, 'click', o, { url: o.url, ip: '127.0.0.1', geo: 'FR', agent: o.agent ?? DESKTOP_AGENT }),
  bounce: (
    t: MailjetEventTarget,
    o: MailjetEventTiming & { hard?: boolean; blocked?: boolean; relatedTo?: string; error?: string; comment?: string } = {},
  ): MailjetEvent =>
    base(t, 'bounce', o, {
      blocked: o.blocked ?? false,
      hard_bounce: o.hard ?? true,
      error_related_to: o.relatedTo ?? 'recipient',
      error: o.error ?? 'user unknown',
      comment: o.comment ?? '550 5.1.1 <' + t.email + '>: Recipient address rejected: User unknown in virtual mailbox table',
    }),
  blocked: (t: MailjetEventTarget, o: MailjetEventTiming & { relatedTo?: string; error?: string } = {}): MailjetEvent =>
    base(t, 'blocked', o, { error_related_to: o.relatedTo ?? 'recipient', error: o.error ?? 'preblocked' }),
  spam: (t: MailjetEventTarget, o: MailjetEventTiming & { source?: string } = {}): MailjetEvent =>
    base(t, 'spam', o, { source: o.source ?? 'JMRPP' }),
  unsub: (t: MailjetEventTarget, o: MailjetEventTiming = {}): MailjetEvent =>
    base(t, 'unsub', o, { mj_list_id: 1, ip: '127.0.0.1', geo: 'FR', agent: DESKTOP_AGENT }),
};

/** One target per recipient of a message the emulator accepted, echoing its CustomID and EventPayload. */
export function mailjetEventTargets(sent: MailjetSentMessage): MailjetEventTarget[] {
  return sent.recipients.map((r) => ({
    email: r.email,
    messageGuid: r.messageUUID,
    messageId: r.messageID,
    customId: sent.message.CustomID ?? '',
    payload: sent.message.EventPayload ?? '',
  }));
}

export interface PostEventsOptions {
  /** One POST with a JSON array (callback `Version: 2`, "group events") instead of one bare object per POST. */
  grouped?: boolean;
  /** Basic credentials; default: the ones embedded in the URL (`https://user:pass@host/path`), as Mailjet uses them. */
  credentials?: { user: string; password: string };
}

export interface PostedEvents {
  status: number;
  body: string;
  /** The exact bytes posted. */
  rawBody: string;
}

/**
 * Posts events as Mailjet does: credentials embedded in the callback URL travel as an
 * `Authorization: Basic` header (and never in the request line), the JSON text keeps `MessageID`'s
 * digits raw. Ungrouped: one POST per event, each a bare object.
 */
export async function postEvents(url: string, events: MailjetEvent[], options: PostEventsOptions = {}): Promise<PostedEvents[]> {
  const target = new URL(url);
  const credentials =
    options.credentials ??
    (target.username ? { user: decodeURIComponent(target.username), password: decodeURIComponent(target.password) } : undefined);
  target.username = '';
  target.password = '';
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Mailjet Event API emulator' };
  if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const bodies = options.grouped ? [stringifyWithRawBigints(events)] : events.map((e) => stringifyWithRawBigints(e));
  const results: PostedEvents[] = [];
  for (const rawBody of bodies) {
    const res = await fetch(target, { method: 'POST', headers, body: rawBody });
    results.push({ status: res.status, body: await res.text(), rawBody });
  }
  return results;
}
