import { isRetryableHttpStatus } from '../http-failure';
import type { OutgoingMessage, RecipientOutcome, SendResult } from '../transport';
import { describeMailjetErrors, MailjetErrorEntry, mailjetErrorsOf } from './classify-mailjet-error';

/**
 * Reads a v3.1 send answer into per-recipient outcomes. `Messages[]` items are `success` (with
 * `To/Cc/Bcc[]` of `{Email, MessageUUID, MessageID}`) or `error` (with `Errors[]`), and a bulk answer
 * can mix them (HTTP 400 then). We send one message per email, so any item that confirms a recipient
 * means Mailjet is sending: recipients it confirmed are accepted, the others are refused with the
 * error items' words and status (an HTTP status: retried only when one says so, 429 or 5xx). No confirmed recipient at all: `undefined`, and the caller throws.
 *
 * `MessageID` exceeds 2^53: node-mailjet parses with json-bigint (`storeAsString`), so above 15 digits
 * it arrives as a string, below as a number; either way it is kept as decimal digits, never as a number.
 */
interface RecipientAnswer {
  Email?: unknown;
  MessageUUID?: unknown;
  MessageID?: unknown;
}

interface MessageAnswer {
  Status?: unknown;
  To?: RecipientAnswer[];
  Cc?: RecipientAnswer[];
  Bcc?: RecipientAnswer[];
}

interface Confirmation {
  uuid?: string;
  id?: string;
}

function digitsOf(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  // A number above 2^53 here means someone parsed the body with JSON.parse: its digits are already wrong.
  return undefined;
}

function confirmationsOf(items: MessageAnswer[]): Map<string, Confirmation> {
  const confirmed = new Map<string, Confirmation>();
  for (const item of items) {
    if (item.Status !== 'success') continue;
    for (const r of [...(item.To ?? []), ...(item.Cc ?? []), ...(item.Bcc ?? [])]) {
      if (typeof r?.Email !== 'string') continue;
      const uuid = typeof r.MessageUUID === 'string' && r.MessageUUID !== '' ? r.MessageUUID : undefined;
      confirmed.set(r.Email.toLowerCase(), { uuid, id: digitsOf(r.MessageID) });
    }
  }
  return confirmed;
}

function describeConfirmation(c: Confirmation): string {
  return ['Mailjet accepted it', c.uuid && `MessageUUID ${c.uuid}`, c.id && `MessageID ${c.id}`].filter(Boolean).join(', ');
}

export function readMailjetSendAnswer(message: OutgoingMessage, body: unknown): SendResult | undefined {
  const items = (
    typeof body === 'object' && body !== null && Array.isArray((body as { Messages?: unknown }).Messages)
      ? (body as { Messages: unknown[] }).Messages.filter((m) => typeof m === 'object' && m !== null)
      : []
  ) as MessageAnswer[];
  if (!items.some((i) => i.Status === 'success')) return undefined;

  const confirmed = confirmationsOf(items);
  const errors: MailjetErrorEntry[] = mailjetErrorsOf(body);
  const refusal = describeMailjetErrors(errors) ?? 'Mailjet did not confirm this recipient';
  const refusalStatus = errors.find((e) => typeof e.StatusCode === 'number')?.StatusCode;

  const recipients: RecipientOutcome[] = [...message.to, ...message.cc, ...message.bcc].map((a) => {
    const c = confirmed.get(a.email.toLowerCase());
    // refusalStatus is an HTTP status, not an SMTP reply: a 400 (an excluded or invalid recipient) is final.
    if (!c)
      return {
        email: a.email,
        accepted: false,
        response: refusal,
        responseCode: refusalStatus,
        retryable: refusalStatus !== undefined && isRetryableHttpStatus(refusalStatus),
      };
    return { email: a.email, accepted: true, response: describeConfirmation(c), providerMessageId: c.uuid };
  });
  const first = recipients.find((r) => r.accepted && r.providerMessageId);
  const firstId = [...confirmed.values()].find((c) => c.id && c.id !== '0')?.id;
  return {
    // Mailjet forbids our Message-Id header and writes its own; its MessageID (digits) is what its API knows the message by.
    messageId: firstId ?? first?.providerMessageId ?? message.messageId,
    providerMessageId: first?.providerMessageId,
    response: errors.length > 0 ? `partly refused: ${refusal}` : 'success',
    recipients,
  };
}
