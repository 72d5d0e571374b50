import type { SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import type { OutgoingMessage } from '../transport';
import { composeMimeTree } from './compose-mime-tree';
import { serializeMimeTree } from './serialize-mime-tree';
import { toNodemailerMessage } from './to-nodemailer-message';

/** Who the message goes to on the wire: MAIL FROM (false: the null sender) and each RCPT TO once. */
export interface SmtpEnvelope {
  from: string | false;
  to: string[];
}

/**
 * A message ready for nodemailer's pool (submit-smtp-mail.ts): serialized, with the envelope and the
 * Message-ID nodemailer takes from the same tree, or left as options for nodemailer to compose.
 */
export type SmtpMail =
  { kind: 'serialized'; raw: Buffer; envelope: SmtpEnvelope; messageId: string } | { kind: 'options'; options: SendMailOptions };

/**
 * What the SMTP transport sends: the message nodemailer's MailComposer composes from
 * toNodemailerMessage (its tree built by composeMimeTree, MailComposer's for any other shape), already
 * serialized (serializeMimeTree), with the envelope and Message-ID nodemailer would have taken from it,
 * so the pool only streams those bytes through the DATA encoder (decisions 0067 and 0068). A message the
 * serializer leaves to nodemailer goes as before: the options, composed by nodemailer.
 */
export function composeSmtpMail(message: OutgoingMessage): SmtpMail {
  const { mail, root } = composeMessageTree(message);
  const raw = serializeMimeTree(root);
  if (!raw) return { kind: 'options', options: mail };
  const envelope = root.getEnvelope();
  return { kind: 'serialized', raw, envelope: { from: envelope.from, to: [...envelope.to] }, messageId: root.messageId() };
}

/**
 * An OutgoingMessage as nodemailer composes it: toNodemailerMessage's options and the tree MailComposer
 * compiles from them (built by composeMimeTree; MailComposer's own for any shape it does not build).
 * The SMTP transport, the file outbox and Graph all start here, so they write the same bytes.
 */
export function composeMessageTree(message: OutgoingMessage): { mail: SendMailOptions; root: MimeNode } {
  const mail = toNodemailerMessage(message);
  return { mail, root: composeMimeTree(mail) ?? new MailComposer(mail).compile() };
}

/** A compiled message's bytes: serialized at once when it can be, streamed by nodemailer otherwise. */
export function buildMime(root: MimeNode): Promise<Buffer> {
  const raw = serializeMimeTree(root);
  return raw ? Promise.resolve(raw) : root.build();
}
