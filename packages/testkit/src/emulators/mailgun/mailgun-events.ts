import { randomBytes } from 'node:crypto';

/**
 * Builders of realistic Mailgun `event-data` objects (contracts §2.3; shapes after Mailgun's documented
 * samples and the sanitised real payloads anymail tests with). Every event gets a unique `id`;
 * `message.headers['message-id']` carries no angle brackets; `user-variables` echoes the `v:` fields.
 */
export type MailgunEventData = Record<string, unknown>;

/** Who an event is about: one recipient of one sent message. */
export interface MailgunEventTarget {
  recipient: string;
  /** The message id, with or without angle brackets (events carry it without). */
  messageId: string;
  /** The `v:` values sent, echoed as `user-variables`. */
  userVariables?: Record<string, unknown>;
  /** Sending domain (default: the message id's domain). */
  domain?: string;
  from?: string;
  subject?: string;
}

export interface MailgunEventTiming {
  /** Unix seconds with microseconds, as Mailgun sends them (default now). */
  timestamp?: number;
}

/** `client-info.bot` as Mailgun documents it: `apple` (MPP), `gmail`, `generic`, or empty for a person. */
export type MailgunBot = 'apple' | 'gmail' | 'generic' | '';

const HUMAN_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

const eventId = () => randomBytes(16).toString('base64url');
const bare = (id: string) => id.replace(/^<|>$/g, '');
const now = () => Math.round(Date.now() * 1000) / 1_000_000;

function base(event: string, logLevel: string, t: MailgunEventTarget, timing: MailgunEventTiming): MailgunEventData {
  const messageId = bare(t.messageId);
  const domain = t.domain ?? messageId.slice(messageId.lastIndexOf('@') + 1);
  return {
    id: eventId(),
    timestamp: timing.timestamp ?? now(),
    'log-level': logLevel,
    event,
    recipient: t.recipient,
    'recipient-domain': t.recipient.slice(t.recipient.lastIndexOf('@') + 1),
    tags: [],
    campaigns: [],
    'user-variables': t.userVariables ?? {},
    flags: { 'is-routed': false, 'is-authenticated': true, 'is-system-test': false, 'is-test-mode': false },
    envelope: { sender: `bounce+${eventId().slice(0, 6)}@${domain}`, transport: 'smtp', targets: t.recipient },
    message: {
      headers: { to: t.recipient, 'message-id': messageId, from: t.from ?? `noreply@${domain}`, subject: t.subject ?? '' },
      attachments: [],
      size: 2048,
    },
  };
}

/** Opens and clicks: Mailgun sends only the message id in `message.headers`, plus where and who. */
function engagement(
  event: 'opened' | 'clicked',
  t: MailgunEventTarget,
  opts: { bot?: MailgunBot; userAgent?: string } & MailgunEventTiming,
): MailgunEventData {
  return {
    id: eventId(),
    timestamp: opts.timestamp ?? now(),
    'log-level': 'info',
    event,
    recipient: t.recipient,
    'recipient-domain': t.recipient.slice(t.recipient.lastIndexOf('@') + 1),
    tags: [],
    campaigns: [],
    'user-variables': t.userVariables ?? {},
    message: { headers: { 'message-id': bare(t.messageId) } },
    ip: opts.bot === 'apple' ? '17.58.100.1' : '198.51.100.7',
    geolocation: { country: 'ES', region: 'MD', city: 'Madrid' },
    'client-info': {
      'client-type': opts.bot ? 'unknown' : 'browser',
      'client-os': opts.bot ? 'unknown' : 'Windows',
      'device-type': opts.bot ? 'unknown' : 'desktop',
      'client-name': opts.bot ? 'unknown' : 'Chrome',
      'user-agent': opts.userAgent ?? (opts.bot ? 'Mozilla/5.0' : HUMAN_AGENT),
      bot: opts.bot ?? '',
    },
  };
}

export interface MailgunFailureOptions extends MailgunEventTiming {
  code?: number;
  message?: string;
  description?: string;
  /** Mailgun's `reason`: bounce, generic, greylisted, suppress-bounce, old... */
  reason?: string;
}

export const mailgunEvents = {
  accepted(t: MailgunEventTarget, timing: MailgunEventTiming = {}): MailgunEventData {
    return { ...base('accepted', 'info', t, timing), method: 'HTTP' };
  },

  delivered(t: MailgunEventTarget, timing: MailgunEventTiming = {}): MailgunEventData {
    return {
      ...base('delivered', 'info', t, timing),
      'delivery-status': {
        tls: true,
        'mx-host': `mx.${t.recipient.slice(t.recipient.lastIndexOf('@') + 1)}`,
        'attempt-no': 1,
        description: '',
        'session-seconds': 1.2,
        utf8: true,
        code: 250,
        message: 'OK',
        'certificate-verified': true,
      },
    };
  },

  failedPermanent(t: MailgunEventTarget, opts: MailgunFailureOptions = {}): MailgunEventData {
    return {
      ...base('failed', 'error', t, opts),
      severity: 'permanent',
      reason: opts.reason ?? 'bounce',
      'delivery-status': {
        tls: true,
        'mx-host': `mx.${t.recipient.slice(t.recipient.lastIndexOf('@') + 1)}`,
        'attempt-no': 1,
        description: opts.description ?? '',
        'session-seconds': 0.8,
        utf8: true,
        code: opts.code ?? 550,
        message: opts.message ?? '5.1.1 The email account that you tried to reach does not exist.',
        'certificate-verified': true,
      },
    };
  },

  failedTemporary(t: MailgunEventTarget, opts: MailgunFailureOptions = {}): MailgunEventData {
    const message = opts.message ?? '4.2.2 Mailbox full, try again later';
    return {
      ...base('failed', 'warn', t, opts),
      severity: 'temporary',
      reason: opts.reason ?? 'generic',
      'delivery-status': {
        'attempt-no': 2,
        description: opts.description ?? message,
        'session-seconds': 0.5,
        'retry-seconds': 600,
        code: opts.code ?? 452,
        message,
      },
    };
  },

  rejected(t: MailgunEventTarget, opts: MailgunEventTiming & { reason?: string; description?: string } = {}): MailgunEventData {
    return {
      ...base('rejected', 'warn', t, opts),
      reject: { reason: opts.reason ?? 'Sandbox subdomains are for test purposes only', description: opts.description ?? '' },
    };
  },

  opened(t: MailgunEventTarget, opts: MailgunEventTiming & { bot?: MailgunBot; userAgent?: string } = {}): MailgunEventData {
    return engagement('opened', t, opts);
  },

  clicked(t: MailgunEventTarget, opts: MailgunEventTiming & { url: string; bot?: MailgunBot; userAgent?: string }): MailgunEventData {
    return { ...engagement('clicked', t, opts), url: opts.url };
  },

  unsubscribed(t: MailgunEventTarget, timing: MailgunEventTiming = {}): MailgunEventData {
    return { ...engagement('opened', t, timing), event: 'unsubscribed' };
  },

  complained(t: MailgunEventTarget, timing: MailgunEventTiming = {}): MailgunEventData {
    return { ...base('complained', 'warn', t, timing) };
  },
};
