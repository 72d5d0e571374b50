import { randomBytes } from 'node:crypto';

/**
 * Builders of Event Webhook events shaped as SendGrid sends them (event.md samples): the common fields,
 * each type's own fields, and the custom args **flattened as top-level keys**, with SendGrid's reserved
 * keys winning over custom args of the same name. Every event gets a fresh, unique `sg_event_id`.
 */
export interface SendgridEvent {
  email: string;
  timestamp: number;
  event: string;
  sg_event_id: string;
  [key: string]: unknown;
}

/** Who and what an event is about: a recipient of a message SendGrid accepted. */
export interface SendgridEventTarget {
  email: string;
  /** The `X-Message-Id` of the send answer; a made-up one when absent. */
  messageId?: string;
  /** The `custom_args` that were sent: they come back flattened as top-level keys. */
  customArgs?: Record<string, string>;
  categories?: string[];
}

export interface SendgridEventTiming {
  /** When the event happened; now when absent. */
  at?: Date;
}

let counter = 0;

function uniqueEventId(event: string): string {
  counter += 1;
  return Buffer.from(`${event}-${counter}-${randomBytes(12).toString('hex')}`).toString('base64url');
}

function base(target: SendgridEventTarget, event: string, timing: SendgridEventTiming, own: Record<string, unknown>): SendgridEvent {
  const messageId = target.messageId ?? randomBytes(16).toString('base64url').slice(0, 22);
  const reserved = {
    email: target.email,
    timestamp: Math.floor((timing.at ?? new Date()).getTime() / 1000),
    'smtp-id': `<${messageId}@ismtpd0039p1iad1.sendgrid.net>`,
    event,
    category: target.categories ?? [],
    sg_event_id: uniqueEventId(event),
    sg_message_id: `${messageId}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0`,
  };
  return { ...(target.customArgs ?? {}), ...own, ...reserved };
}

export const sendgridEvents = {
  processed: (t: SendgridEventTarget, o: SendgridEventTiming = {}): SendgridEvent =>
    base(t, 'processed', o, { pool: { name: 'transactional', id: 210 }, send_at: 0 }),

  delivered: (t: SendgridEventTarget, o: SendgridEventTiming & { response?: string } = {}): SendgridEvent =>
    base(t, 'delivered', o, { ip: '167.89.101.76', response: o.response ?? '250 2.0.0 OK 1600112495 c17si1130468pgv.34 - gsmtp', tls: 1 }),

  deferred: (t: SendgridEventTarget, o: SendgridEventTiming & { response?: string; attempt?: number } = {}): SendgridEvent =>
    base(t, 'deferred', o, {
      ip: '167.89.101.76',
      response: o.response ?? '421 4.7.0 Try again later',
      attempt: String(o.attempt ?? 1),
      tls: 1,
    }),

  /** `type: 'blocked'` is SendGrid's block (the receiving server refused this message, not the address). */
  bounce: (
    t: SendgridEventTarget,
    o: SendgridEventTiming & { status?: string; reason?: string; type?: 'bounce' | 'blocked' } = {},
  ): SendgridEvent =>
    base(t, 'bounce', o, {
      ip: '167.89.101.76',
      reason: o.reason ?? '550 5.1.1 The email account that you tried to reach does not exist.',
      status: o.status ?? '5.1.1',
      tls: 1,
      type: o.type ?? 'bounce',
    }),

  dropped: (t: SendgridEventTarget, o: SendgridEventTiming & { reason?: string; status?: string } = {}): SendgridEvent =>
    base(t, 'dropped', o, { reason: o.reason ?? 'Bounced Address', status: o.status ?? '5.0.0' }),

  /** `machine: true` is an Apple Mail Privacy Protection prefetch (`sg_machine_open`). */
  open: (t: SendgridEventTarget, o: SendgridEventTiming & { machine?: boolean; useragent?: string } = {}): SendgridEvent =>
    base(t, 'open', o, {
      useragent: o.useragent ?? 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      ip: '66.102.8.62',
      sg_machine_open: o.machine ?? false,
    }),

  click: (t: SendgridEventTarget, o: SendgridEventTiming & { url: string; useragent?: string }): SendgridEvent =>
    base(t, 'click', o, { url: o.url, url_offset: { index: 0, type: 'html' }, useragent: o.useragent ?? 'Mozilla/5.0', ip: '66.102.8.62' }),

  spamreport: (t: SendgridEventTarget, o: SendgridEventTiming = {}): SendgridEvent => base(t, 'spamreport', o, {}),

  unsubscribe: (t: SendgridEventTarget, o: SendgridEventTiming = {}): SendgridEvent => base(t, 'unsubscribe', o, {}),

  groupUnsubscribe: (t: SendgridEventTarget, o: SendgridEventTiming & { asmGroupId?: number } = {}): SendgridEvent =>
    base(t, 'group_unsubscribe', o, { asm_group_id: o.asmGroupId ?? 42, useragent: 'Mozilla/5.0', ip: '66.102.8.62' }),

  groupResubscribe: (t: SendgridEventTarget, o: SendgridEventTiming & { asmGroupId?: number } = {}): SendgridEvent =>
    base(t, 'group_resubscribe', o, { asm_group_id: o.asmGroupId ?? 42, useragent: 'Mozilla/5.0', ip: '66.102.8.62' }),
};
