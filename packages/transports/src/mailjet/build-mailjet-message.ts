import type { Address } from '@mailroom/domain';
import type { OutgoingMessage } from '../transport';

/** One Send API v3.1 `Messages[]` item (contracts §3.1), as we build it. */
export interface MailjetAddress {
  Email: string;
  Name?: string;
}

export interface MailjetMessage {
  From: MailjetAddress;
  ReplyTo?: MailjetAddress;
  To: MailjetAddress[];
  Cc?: MailjetAddress[];
  Bcc?: MailjetAddress[];
  Subject: string;
  TextPart?: string;
  HTMLPart?: string;
  Attachments?: { ContentType: string; Filename: string; Base64Content: string }[];
  Headers: Record<string, string>;
  CustomID: string;
  EventPayload: string;
  TrackOpens?: 'enabled' | 'disabled';
  TrackClicks?: 'disabled';
}

/** What Mailjet's webhooks echo back in `Payload`: the ids that tie an event to our email. */
export interface MailjetEventPayload {
  emailId: string;
  tenantId: string;
}

export const EMAIL_ID_HEADER = 'X-Mailroom-Email-Id';

/**
 * Headers Mailjet refuses in `Headers` (`send-0011`): those with a dedicated property and those it
 * sets itself, Message-Id included (so our RFC Message-ID cannot travel: Mailjet writes its own).
 * From Mailjet's send guide and the list the Symfony/Mautic Mailjet bridges maintain. Lower-cased.
 */
const FORBIDDEN_HEADERS = new Set(
  [
    'From',
    'Sender',
    'Subject',
    'To',
    'Cc',
    'Bcc',
    'Reply-To',
    'Return-Path',
    'Delivered-To',
    'Date',
    'Message-Id',
    'DKIM-Signature',
    'DomainKey-Status',
    'Received-SPF',
    'Authentication-Results',
    'Received',
    'X-CSA-Complaints',
    'X-MJ-StatisticsContactsListID',
    'X-Feedback-Id',
    'X-Mailjet-Segmentation',
    'List-Id',
    'X-MJ-MID',
    'X-MJ-ErrorMessage',
    'X-Mailjet-Debug',
    'User-Agent',
    'X-Mailer',
    'X-MJ-WorkflowID',
    'X-Mailjet-Prio',
    'X-Mailjet-Campaign',
    'X-Mailjet-DeduplicateCampaign',
    'X-Mailjet-TrackOpen',
    'X-Mailjet-TrackClick',
    'X-MJ-CustomID',
    'X-MJ-EventPayload',
    'X-MJ-TemplateID',
    'X-MJ-TemplateLanguage',
    'X-MJ-TemplateErrorReporting',
    'X-MJ-TemplateErrorDeliver',
    'X-MJ-Vars',
    'Content-Type',
    'Content-Transfer-Encoding',
    'MIME-Version',
  ].map((h) => h.toLowerCase()),
);

export function isForbiddenMailjetHeader(name: string): boolean {
  return FORBIDDEN_HEADERS.has(name.toLowerCase());
}

function address(a: Address): MailjetAddress {
  return a.name ? { Email: a.email, Name: a.name } : { Email: a.email };
}

/**
 * Our email as one Mailjet message. `CustomID` and `EventPayload` carry our ids so every event can be
 * matched without Mailjet's bigint MessageID. Opens are tracked only when asked and there is HTML
 * (Mailjet tracks with a pixel in the HTML part); click tracking stays off so that links in invoices
 * (payment links, portals) reach the recipient as written, not through a redirect.
 * Returns the dropped header names too, for the caller to log.
 */
export function buildMailjetMessage(m: OutgoingMessage): { message: MailjetMessage; droppedHeaders: string[] } {
  const headers: Record<string, string> = {};
  const droppedHeaders: string[] = [];
  for (const [name, value] of Object.entries(m.headers)) {
    if (isForbiddenMailjetHeader(name)) droppedHeaders.push(name);
    else if (name.toLowerCase() !== EMAIL_ID_HEADER.toLowerCase()) headers[name] = value;
  }
  headers[EMAIL_ID_HEADER] = m.emailId;
  const payload: MailjetEventPayload = { emailId: m.emailId, tenantId: m.tenantId };
  const message: MailjetMessage = {
    From: address(m.from),
    To: m.to.map(address),
    Subject: m.subject,
    Headers: headers,
    CustomID: m.emailId,
    EventPayload: JSON.stringify(payload),
  };
  if (m.replyTo) message.ReplyTo = address(m.replyTo);
  if (m.cc.length > 0) message.Cc = m.cc.map(address);
  if (m.bcc.length > 0) message.Bcc = m.bcc.map(address);
  if (m.text !== undefined) message.TextPart = m.text;
  if (m.html !== undefined) {
    message.HTMLPart = m.html;
    message.TrackOpens = m.trackOpens ? 'enabled' : 'disabled';
    message.TrackClicks = 'disabled';
  }
  if (m.attachments.length > 0) {
    message.Attachments = m.attachments.map((a) => ({
      ContentType: a.contentType,
      Filename: a.filename,
      Base64Content: a.content.toString('base64'),
    }));
  }
  return { message, droppedHeaders };
}
