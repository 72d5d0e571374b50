import { Readable } from 'node:stream';
import type { SMTPPoolSentMessageInfo, Transporter } from 'nodemailer';
import type { SmtpMail } from './compose-smtp-mail';

type PoolTransporter = Transporter<SMTPPoolSentMessageInfo>;

/**
 * Hands a composed message to nodemailer's pool. A serialized one goes to the pool transport itself
 * (`transporter.transporter.send(mail, callback)`, the interface nodemailer's transports implement),
 * not through the mailer's `sendMail`: given `raw` bytes, the mailer builds a message object of its own
 * (MailMessage, MailComposer, a MimeNode and its `randomBytes`), runs its plugin steps and streams the
 * bytes through a PassThrough and a pipeline per message: 0.06-0.32 ms of CPU per invoice in the
 * compose-send probe, 0.2 on average (decision 0068), for bytes that are final already. Messages left
 * as options go through `sendMail`, composed by nodemailer as before.
 *
 * Of a message, the pool and its connections read (smtp-pool/index.js, pool-resource.js,
 * smtp-connection/index.js): `getEnvelope()`, `messageId()`, `getHeader('message-id')` and
 * `createReadStream()`, which is called again when the pool requeues a message whose connection the
 * server had closed before a byte was read (`readableDidRead === false`): each call a new stream.
 * Nothing else of the mailer applies to these messages: no plugins, no DKIM keys, no proxy (the SSRF
 * guard's `getSocket` is the pool's own option), no `maxRecipients` check (nodemailer's default is
 * 100,000; Mailroom's schema allows 50 each in to, cc and bcc).
 */
export function submitSmtpMail(transporter: PoolTransporter, mail: SmtpMail): Promise<SMTPPoolSentMessageInfo> {
  if (mail.kind === 'options') return transporter.sendMail(mail.options);
  const { raw, envelope, messageId } = mail;
  const message = {
    getEnvelope: () => ({ from: envelope.from, to: [...envelope.to] }),
    messageId: () => messageId,
    getHeader: (name: string) => (name.toLowerCase() === 'message-id' ? messageId : undefined),
    createReadStream: () => bytesStream(raw),
  };
  // The pool reads only these members of a mailer's message object (above): the rest is not built.
  const pooled = { data: {}, message } as unknown as PoolMail;
  return new Promise((resolve, reject) =>
    transporter.transporter.send(pooled, (error, info) => (error ? reject(error) : resolve(info as SMTPPoolSentMessageInfo))),
  );
}

type PoolMail = Parameters<PoolTransporter['transporter']['send']>[0];

/** The bytes as one readable stream, read once. */
function bytesStream(bytes: Buffer): Readable {
  return new Readable({
    read() {
      this.push(bytes);
      this.push(null);
    },
  });
}
