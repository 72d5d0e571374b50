import type { SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import type { OutgoingMessage } from '../transport';
import { composeMimeTree } from './compose-mime-tree';
import { serializeMimeTree } from './serialize-mime-tree';
import { toNodemailerMessage } from './to-nodemailer-message';

/**
 * What the SMTP transport hands nodemailer's pool: the message nodemailer's MailComposer composes from
 * toNodemailerMessage (its tree built by composeMimeTree, MailComposer's for any other shape), already
 * serialized (serializeMimeTree), with the envelope and Message-ID nodemailer would have taken from it.
 * The pool then only streams those bytes through the DATA encoder (decision 0067). A message the
 * serializer leaves to nodemailer goes as before: the options, composed by the pool.
 */
export function composeSmtpMail(message: OutgoingMessage): SendMailOptions {
  const { mail, root } = composeMessageTree(message);
  const raw = serializeMimeTree(root);
  if (!raw) return mail;
  const envelope = root.getEnvelope();
  return {
    envelope: { from: envelope.from || undefined, to: envelope.to },
    raw,
    messageId: root.messageId(),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
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
