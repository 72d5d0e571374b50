import { formatAddress, mergeAddresses } from '@mailroom/domain';
import type { MailgunMessageData } from 'mailgun.js/definitions';
import type { OutgoingMessage } from '../transport';

/** The `v:` variables Mailgun echoes back as `event-data.user-variables`: how events find their email. */
export const MAILGUN_EMAIL_ID_VAR = 'mailroom_email_id';
export const MAILGUN_TENANT_ID_VAR = 'mailroom_tenant_id';
export const MAILROOM_EMAIL_ID_HEADER = 'X-Mailroom-Email-Id';

/** Mailgun answers the message id in angle brackets; its events carry it without. */
export const stripAngleBrackets = (id: string): string => id.trim().replace(/^<(.*)>$/, '$1');

/** Headers Mailgun builds from its own fields: repeating them as `h:` would duplicate or fight them. */
const OWN_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'reply-to',
  'message-id',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'date',
]);

export interface MailgunMessagePlan {
  data: MailgunMessageData;
  /** Every distinct recipient (to, cc, bcc), in that order. */
  recipients: string[];
  /** Extra headers left out because Mailgun sets them from its own fields. */
  droppedHeaders: string[];
}

/**
 * The mailgun.js `messages.create` data for one email (contracts §2.1): From with its display name,
 * repeated to/cc/bcc, `h:Reply-To`, our stable `h:Message-Id` (Mailgun keeps a custom Message-Id, so
 * retries of one email share it), `h:X-Mailroom-Email-Id`, the `v:` ids that come back in every event,
 * attachments as file parts with their bytes and content type, and `o:tracking-opens` (the SDK sends
 * the boolean as yes/no). An address repeated across to/cc/bcc is sent once, where it first appears.
 */
export function buildMailgunMessage(message: OutgoingMessage): MailgunMessagePlan {
  const to = mergeAddresses([message.to]);
  const cc = mergeAddresses([message.cc], to);
  const bcc = mergeAddresses([message.bcc], [...to, ...cc]);
  const headers: Record<string, string> = {};
  const droppedHeaders: string[] = [];
  for (const [name, value] of Object.entries(message.headers)) {
    if (OWN_FIELDS.has(name.toLowerCase())) droppedHeaders.push(name);
    else headers[`h:${name}`] = value;
  }
  if (!Object.keys(message.headers).some((h) => h.toLowerCase() === MAILROOM_EMAIL_ID_HEADER.toLowerCase())) {
    headers[`h:${MAILROOM_EMAIL_ID_HEADER}`] = message.emailId;
  }
  const data: MailgunMessageData = {
    from: formatAddress(message.from),
    to: to.map(formatAddress),
    ...(cc.length > 0 ? { cc: cc.map(formatAddress) } : {}),
    ...(bcc.length > 0 ? { bcc: bcc.map(formatAddress) } : {}),
    subject: message.subject,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.replyTo ? { 'h:Reply-To': formatAddress(message.replyTo) } : {}),
    'h:Message-Id': message.messageId,
    ...headers,
    [`v:${MAILGUN_EMAIL_ID_VAR}`]: message.emailId,
    [`v:${MAILGUN_TENANT_ID_VAR}`]: message.tenantId,
    'o:tracking-opens': message.trackOpens,
    ...(message.attachments.length > 0
      ? {
          attachment: message.attachments.map((a) => ({
            filename: a.filename,
            data: a.content,
            contentType: a.contentType,
            knownLength: a.content.length,
          })),
        }
      : {}),
  } as MailgunMessageData;
  return { data, recipients: [...to, ...cc, ...bcc].map((a) => a.email), droppedHeaders };
}
