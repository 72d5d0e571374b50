import nodemailer from 'nodemailer';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { smtpTestBench } from '../../test/smtp-test-bench';
import { composeSmtpMail, SmtpMail } from './compose-smtp-mail';
import { installSmtpDataEncoder } from './smtp-data-encoder';
import { submitSmtpMail } from './submit-smtp-mail';

describe('submitSmtpMail', () => {
  const bench = smtpTestBench();
  beforeAll(() => installSmtpDataEncoder());

  const pool = (port: number) =>
    bench.transport(nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 }));

  const messages = [
    acmeInvoice(),
    acmeInvoice({
      to: [{ email: 'Cliente@Example.test', name: 'Cliente, "Uno"' }, { email: 'dos@bücher.example' }],
      cc: [{ email: 'copia@example.test' }],
      bcc: [{ email: 'archivo@acme.test' }, { email: 'cliente@example.test' }],
      subject: 'Presupuesto — ñandú 😀',
      text: '.una línea que empieza por punto\r\n.\r\nfin',
    }),
    acmeInvoice({ from: { email: 'facturas@acmé.example', name: 'Acmé' }, attachments: [] }),
  ];

  it("puts on the wire what nodemailer's mailer sends for the same serialized message: envelope and bytes", async () => {
    const sink = await bench.sink({ tls: 'none' });
    const transporter = pool(sink.port);
    for (const message of messages) {
      const mail = composeSmtpMail(message) as Extract<SmtpMail, { kind: 'serialized' }>;
      expect(mail.kind).toBe('serialized');
      const viaMailer = await transporter.sendMail({
        raw: mail.raw,
        envelope: { from: mail.envelope.from || undefined, to: mail.envelope.to },
        messageId: mail.messageId,
      });
      const mailer = jest.spyOn(transporter, 'sendMail');
      const direct = await submitSmtpMail(transporter, mail);
      expect(mailer).not.toHaveBeenCalled(); // the pool transport itself took it
      mailer.mockRestore();
      const [a, b] = (await sink.waitForMessages(2)).slice(-2);
      sink.clear();
      expect(b.envelope).toEqual(a.envelope);
      expect(b.raw.equals(a.raw)).toBe(true);
      expect(direct.accepted).toEqual(viaMailer.accepted);
      expect(direct.envelope).toEqual(viaMailer.envelope);
      expect(direct.messageId).toBe(viaMailer.messageId);
      expect(direct.response).toMatch(/^250 /);
    }
  });

  it('gives the pool a new unread stream each time it asks, as its requeue of a message on a dropped connection needs', async () => {
    const sink = await bench.sink({ tls: 'none' });
    const transporter = pool(sink.port);
    const mail = composeSmtpMail(acmeInvoice()) as Extract<SmtpMail, { kind: 'serialized' }>;
    const send = jest.spyOn(transporter.transporter, 'send');
    await submitSmtpMail(transporter, mail);
    const { message } = send.mock.calls[0][0] as unknown as {
      message: { createReadStream(): NodeJS.ReadableStream & { readableDidRead: boolean } };
    };
    const [first, second] = [message.createReadStream(), message.createReadStream()];
    expect(first).not.toBe(second);
    expect(second.readableDidRead).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of first) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(mail.raw)).toBe(true);
    expect(first.readableDidRead).toBe(true);
  });

  it('leaves a message nodemailer composes to the mailer, and a closed pool fails the send', async () => {
    const sink = await bench.sink({ tls: 'none' });
    const transporter = pool(sink.port);
    const long = `${'x'.repeat(90)}\n`.repeat(800); // quoted-printable text over 64 KB: not serialized
    const mail = composeSmtpMail(acmeInvoice({ text: long }));
    expect(mail.kind).toBe('options');
    await submitSmtpMail(transporter, mail);
    const [received] = await sink.waitForMessages(1);
    expect(received.parsed.text?.replace(/\r\n/g, '\n')).toBe(long);

    transporter.close();
    await expect(submitSmtpMail(transporter, composeSmtpMail(acmeInvoice()))).rejects.toThrow(/closed/);
  });
});
