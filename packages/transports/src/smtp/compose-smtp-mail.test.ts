import MailComposer from 'nodemailer/lib/mail-composer';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { composeSmtpMail } from './compose-smtp-mail';
import { toNodemailerMessage } from './to-nodemailer-message';

describe('composeSmtpMail', () => {
  const message = acmeInvoice({
    to: [{ email: 'cliente@example.test', name: 'Cliente Uno' }],
    cc: [{ email: 'copia@example.test' }],
    bcc: [{ email: 'archivo@acme.test' }, { email: 'cliente@example.test' }],
  });

  it("serializes the message, with nodemailer's own envelope and our Message-ID", () => {
    const mail = composeSmtpMail(message);
    if (mail.kind !== 'serialized') throw new Error('expected a serialized message');
    expect(mail.messageId).toBe(message.messageId);
    // The envelope nodemailer takes from the same options: To, Cc and Bcc, each address once.
    const expected = new MailComposer(toNodemailerMessage(message)).compile().getEnvelope();
    expect(mail.envelope).toEqual({ from: 'facturas@acme.test', to: expected.to });
    expect(expected.to).toEqual(['cliente@example.test', 'copia@example.test', 'archivo@acme.test']);
    // Bcc recipients are in the envelope, never in the message.
    const raw = mail.raw.toString('latin1');
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).toMatch(/^Message-ID: <em_01@mailroom\.example>\r$/m);
  });

  it('leaves a message the serializer does not write to nodemailer, as options', () => {
    const long = `${'x'.repeat(90)}\n`.repeat(800); // quoted-printable text over 64 KB
    const mail = composeSmtpMail(acmeInvoice({ text: long }));
    if (mail.kind !== 'options') throw new Error('expected options');
    expect(mail.options.raw).toBeUndefined();
    expect(mail.options.text).toBe(long);
    expect(mail.options.messageId).toBe('<em_01@mailroom.example>');
    expect(mail.options.disableFileAccess).toBe(true);
    expect(mail.options.disableUrlAccess).toBe(true);
  });
});
