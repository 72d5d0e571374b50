import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMime } from '../smtp/compose-smtp-mail';
import { toNodemailerMessage } from '../smtp/to-nodemailer-message';
import type { OutgoingMessage } from '../transport';

/**
 * The RFC 5322 message, composed by nodemailer's MailComposer from the same options the SMTP
 * transport gives nodemailer, so both paths put the same bytes on the wire: our Message-ID, our
 * headers, base64 attachments. One difference: the Bcc header is kept, because Graph has no
 * envelope and takes the recipients from To, Cc and Bcc (Exchange removes Bcc before delivery).
 */
export function composeMime(message: OutgoingMessage): Promise<Buffer> {
  const root = new MailComposer(toNodemailerMessage(message)).compile();
  root.keepBcc = true;
  return buildMime(root);
}
