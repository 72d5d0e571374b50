import { Address, DeliveryError, hintOf, mergeAddresses } from '@mailroom/domain';
import type { MailDataRequired } from '@sendgrid/mail';
import type { OutgoingMessage } from '../transport';

/** The custom args our emails carry: SendGrid flattens them into every webhook event, which is how events find their email. */
export const SENDGRID_EMAIL_ID_ARG = 'mailroom_email_id';
export const SENDGRID_TENANT_ID_ARG = 'mailroom_tenant_id';

/**
 * Email headers we never hand to SendGrid: those it refuses to let a sender override (contracts §1.1),
 * and, because the SDK also sends the email headers as HTTP request headers, names that would change the
 * API call itself (auth, subuser impersonation, framing).
 */
const HEADERS_NOT_PASSED = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
  'authorization',
  'on-behalf-of',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'accept',
  'user-agent',
]);

export interface SendgridMailPlan {
  mail: MailDataRequired;
  /** Every distinct recipient, in to/cc/bcc order: what SendGrid is asked to deliver to. */
  recipients: Address[];
  /** Header names left out (see HEADERS_NOT_PASSED). */
  droppedHeaders: string[];
}

interface MailContent {
  type: string;
  value: string;
}

const asSendgridAddress = (a: Address) => (a.name ? { email: a.email, name: a.name } : { email: a.email });

/**
 * Our message as a v3 mail body. SendGrid answers 400 when an address appears twice across to/cc/bcc of a
 * personalization, so each address is kept once, where it first appears (to, then cc, then bcc).
 * Message-ID is not on SendGrid's list of headers a sender cannot set, so ours is sent: replies and
 * threading then match the id recorded in the history.
 */
export function buildSendgridMail(message: OutgoingMessage): SendgridMailPlan {
  const to = mergeAddresses([message.to]);
  const cc = mergeAddresses([message.cc], to);
  const bcc = mergeAddresses([message.bcc], [...to, ...cc]);

  const headers: Record<string, string> = {};
  const droppedHeaders: string[] = [];
  for (const [name, value] of Object.entries({ ...message.headers, 'Message-ID': message.messageId })) {
    if (HEADERS_NOT_PASSED.has(name.toLowerCase())) droppedHeaders.push(name);
    else headers[name] = value;
  }

  // text/plain first, then text/html: the order SendGrid requires.
  const blocks: MailContent[] = [];
  if (message.text) blocks.push({ type: 'text/plain', value: message.text });
  if (message.html) blocks.push({ type: 'text/html', value: message.html });
  const [first, ...rest] = blocks;
  if (!first) {
    throw new DeliveryError('The email has neither a text nor an HTML body', {
      code: 'empty_body',
      retryable: false,
      ...hintOf('sendgrid.emptyBody', 'Give the email a text or an HTML body: SendGrid refuses an email without content.'),
    });
  }
  const content: [MailContent, ...MailContent[]] = [first, ...rest];

  const mail: MailDataRequired = {
    from: asSendgridAddress(message.from),
    ...(message.replyTo ? { replyTo: asSendgridAddress(message.replyTo) } : {}),
    personalizations: [
      {
        to: to.map(asSendgridAddress),
        ...(cc.length > 0 ? { cc: cc.map(asSendgridAddress) } : {}),
        ...(bcc.length > 0 ? { bcc: bcc.map(asSendgridAddress) } : {}),
      },
    ],
    subject: message.subject,
    content,
    ...(message.attachments.length > 0
      ? {
          attachments: message.attachments.map((a) => ({
            content: a.content.toString('base64'),
            filename: a.filename,
            type: a.contentType,
            disposition: 'attachment',
          })),
        }
      : {}),
    headers,
    customArgs: { [SENDGRID_EMAIL_ID_ARG]: message.emailId, [SENDGRID_TENANT_ID_ARG]: message.tenantId },
    trackingSettings: { openTracking: { enable: message.trackOpens } },
  };
  return { mail, recipients: [...to, ...cc, ...bcc], droppedHeaders };
}
