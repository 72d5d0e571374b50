import { randomUUID } from 'node:crypto';
import type { MailjetAddress, MailjetAttachment, MailjetSendError, MailjetV31Message } from './mailjet-api-types';

/**
 * Mailjet's per-message checks on a v3.1 `Messages[]` item, answered as Mailjet answers them: a list of
 * `Errors[]` entries (empty when the message is fine). Codes named in contracts §3.1 (`mj-0004`,
 * `mj-0005`, `send-0003`, `send-0008`, `send-0011`) are Mailjet's; the wording of the others is ours.
 */

/**
 * Headers that have a dedicated property or that Mailjet sets itself: putting them in `Headers` is
 * `send-0011`. Lower-cased. (Mailjet's send guide plus the list the Symfony/Mautic Mailjet bridges keep.)
 * Kept apart from the transport's own list on purpose: the emulator plays Mailjet, so a header the
 * transport wrongly believes allowed must still be refused here.
 */
export const MAILJET_FORBIDDEN_HEADERS = new Set(
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

const EMAIL = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const TRACKING = new Set(['account_default', 'disabled', 'enabled']);
const MAX_PER_LIST = 50;

function error(code: string, status: number, message: string, relatedTo: string[]): MailjetSendError {
  return { ErrorIdentifier: randomUUID(), ErrorCode: code, StatusCode: status, ErrorMessage: message, ErrorRelatedTo: relatedTo };
}

function isAddress(v: unknown): v is MailjetAddress {
  return typeof v === 'object' && v !== null && typeof (v as MailjetAddress).Email === 'string';
}

export function isValidatedSender(email: string, validatedSenders: string[] | undefined): boolean {
  if (!validatedSenders) return true;
  const e = email.toLowerCase();
  return validatedSenders.some((s) => {
    const v = s.toLowerCase();
    return v.startsWith('*@') ? e.endsWith(v.slice(1)) : v === e;
  });
}

function checkAddressList(field: 'To' | 'Cc' | 'Bcc', list: unknown, errors: MailjetSendError[]): void {
  if (list === undefined) {
    if (field === 'To') errors.push(error('mj-0005', 400, 'The To is mandatory but missing from the input', ['To']));
    return;
  }
  if (!Array.isArray(list) || !list.every(isAddress)) {
    errors.push(error('mj-0004', 400, 'Type mismatch. Expected type "array of emails".', [field]));
    return;
  }
  if (field === 'To' && list.length === 0) errors.push(error('mj-0005', 400, 'The To is mandatory but missing from the input', ['To']));
  if (list.length > MAX_PER_LIST) errors.push(error('send-0006', 400, `${field} holds more than ${MAX_PER_LIST} recipients.`, [field]));
  list.forEach((a, i) => {
    if (!EMAIL.test(a.Email)) errors.push(error('mj-0013', 400, `"${a.Email}" is an invalid email address.`, [`${field}[${i}].Email`]));
  });
}

function checkAttachments(field: string, list: unknown, errors: MailjetSendError[]): number {
  if (list === undefined) return 0;
  if (!Array.isArray(list)) {
    errors.push(error('mj-0004', 400, 'Type mismatch. Expected type "array of attachments".', [field]));
    return 0;
  }
  let bytes = 0;
  (list as MailjetAttachment[]).forEach((a, i) => {
    const at = `${field}[${i}]`;
    if (typeof a?.Filename !== 'string' || a.Filename === '')
      errors.push(error('mj-0005', 400, `The ${at}.Filename is mandatory but missing from the input`, [`${at}.Filename`]));
    if (typeof a?.ContentType !== 'string' || !a.ContentType.includes('/'))
      errors.push(error('mj-0005', 400, `The ${at}.ContentType is mandatory but missing from the input`, [`${at}.ContentType`]));
    if (typeof a?.Base64Content !== 'string' || !BASE64.test(a.Base64Content)) {
      errors.push(error('send-0010', 400, `${at}.Base64Content is not valid base64.`, [`${at}.Base64Content`]));
    } else {
      bytes += Buffer.from(a.Base64Content, 'base64').length;
    }
  });
  return bytes;
}

/** Checks one message. `attachmentBytes` is returned so the caller can apply the 15 MB total limit. */
export function validateMailjetMessage(
  m: MailjetV31Message,
  validatedSenders: string[] | undefined,
): { errors: MailjetSendError[]; attachmentBytes: number } {
  const errors: MailjetSendError[] = [];
  if (m.From === undefined) errors.push(error('mj-0005', 400, 'The From is mandatory but missing from the input', ['From']));
  else if (!isAddress(m.From) || !EMAIL.test(m.From.Email))
    errors.push(error('mj-0013', 400, 'From.Email is an invalid email address.', ['From.Email']));
  checkAddressList('To', m.To, errors);
  checkAddressList('Cc', m.Cc, errors);
  checkAddressList('Bcc', m.Bcc, errors);
  if (m.ReplyTo !== undefined && (!isAddress(m.ReplyTo) || !EMAIL.test(m.ReplyTo.Email))) {
    errors.push(error('mj-0013', 400, 'ReplyTo.Email is an invalid email address.', ['ReplyTo.Email']));
  }
  if (m.Subject !== undefined && typeof m.Subject !== 'string')
    errors.push(error('mj-0004', 400, 'Type mismatch. Expected type "string".', ['Subject']));
  if (typeof m.Subject === 'string' && m.Subject.length > 255)
    errors.push(error('send-0015', 400, 'Subject is longer than 255 characters.', ['Subject']));
  if (m.TextPart === undefined && m.HTMLPart === undefined && m.TemplateID === undefined) {
    errors.push(error('send-0003', 400, 'At least "HTMLPart", "TextPart" or "TemplateID" must be provided.', ['HTMLPart', 'TextPart']));
  }
  for (const field of ['TextPart', 'HTMLPart', 'CustomID', 'EventPayload'] as const) {
    if (m[field] !== undefined && typeof m[field] !== 'string')
      errors.push(error('mj-0004', 400, 'Type mismatch. Expected type "string".', [field]));
  }
  for (const field of ['TrackOpens', 'TrackClicks'] as const) {
    if (m[field] !== undefined && !TRACKING.has(String(m[field]))) {
      errors.push(error('mj-0004', 400, `${field} must be one of account_default, disabled, enabled.`, [field]));
    }
  }
  if (m.Headers !== undefined) {
    for (const [name, value] of Object.entries(m.Headers)) {
      if (MAILJET_FORBIDDEN_HEADERS.has(name.toLowerCase())) {
        errors.push(error('send-0011', 400, `Header "${name}" is forbidden: use the dedicated property instead.`, [`Headers["${name}"]`]));
      } else if (typeof value !== 'string') {
        errors.push(error('mj-0004', 400, 'Type mismatch. Expected type "string".', [`Headers["${name}"]`]));
      }
    }
  }
  const attachmentBytes =
    checkAttachments('Attachments', m.Attachments, errors) + checkAttachments('InlinedAttachments', m.InlinedAttachments, errors);
  // The sender check comes last and alone: Mailjet answers it with 403 rather than 400.
  if (errors.length === 0 && isAddress(m.From) && !isValidatedSender(m.From.Email, validatedSenders)) {
    errors.push(error('send-0008', 403, `"${m.From.Email}" is not an authorized sender email address for your account.`, ['From']));
  }
  return { errors, attachmentBytes };
}
