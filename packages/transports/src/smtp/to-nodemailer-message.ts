import type { Address } from '@mailroom/domain';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMessage } from '../transport';

/**
 * The OutgoingMessage as nodemailer composes it, shared by the SMTP transport and the file outbox
 * so both write the same bytes. The envelope is left to nodemailer (From plus To, Cc and Bcc), and
 * the Bcc header is left out of the message, as nodemailer does by default.
 */
export function toNodemailerMessage(message: OutgoingMessage): SendMailOptions {
  return {
    from: toMailbox(message.from),
    replyTo: message.replyTo ? toMailbox(message.replyTo) : undefined,
    to: message.to.map(toMailbox),
    cc: message.cc.length > 0 ? message.cc.map(toMailbox) : undefined,
    bcc: message.bcc.length > 0 ? message.bcc.map(toMailbox) : undefined,
    subject: message.subject,
    text: message.text,
    html: message.html,
    // Base64 whatever the type, so every attachment arrives byte for byte (quoted-printable
    // would touch the line endings of a text/* attachment).
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      contentTransferEncoding: 'base64',
    })),
    messageId: message.messageId,
    headers: message.headers,
    // The content is all in memory: nothing in a message may make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function toMailbox(a: Address): string | { name: string; address: string } {
  return a.name ? { name: a.name, address: a.email } : a.email;
}

/** Every envelope recipient once, in To, Cc, Bcc order (lower-cased for comparison). */
export function envelopeRecipients(message: OutgoingMessage): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of [...message.to, ...message.cc, ...message.bcc]) {
    const key = a.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a.email);
  }
  return out;
}
