import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMime } from '../smtp/compose-smtp-mail';
import { composeMimeTree } from '../smtp/compose-mime-tree';
import { toNodemailerMessage } from '../smtp/to-nodemailer-message';
import type { OutgoingMessage } from '../transport';

/**
 * The RFC 5322 message, composed as nodemailer's MailComposer composes it (composeMimeTree,
 * serializeMimeTree) from the same options the SMTP transport starts from, so both paths put the
 * same bytes on the wire: our Message-ID, our headers, base64 attachments. One difference: the Bcc header is kept, because Graph has no
 * envelope and takes the recipients from To, Cc and Bcc (Exchange removes Bcc before delivery).
 */
export function composeMime(message: OutgoingMessage): Promise<Buffer> {
  const mail = toNodemailerMessage(message);
  const root = composeMimeTree(mail) ?? new MailComposer(mail).compile();
  root.keepBcc = true;
  return buildMime(root);
}
