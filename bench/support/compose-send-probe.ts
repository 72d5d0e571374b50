import { toNodemailerMessage } from '@mailroom/transports';
import nodemailer, { SendMailOptions } from 'nodemailer';
import { composeSmtpMail, SmtpMail } from '../../packages/transports/src/smtp/compose-smtp-mail';
import { installSmtpDataEncoder } from '../../packages/transports/src/smtp/smtp-data-encoder';
import { submitSmtpMail } from '../../packages/transports/src/smtp/submit-smtp-mail';
import { invoicePdf } from '../rows/end-to-end';
import { BENCH_PASS, BENCH_USER, benchMessage } from './bench-smtp';
import { inPool } from './measure';
import { cpuMsOf } from './process-cpu';
import { startSinkProcess } from './smtp-sink-process';

/**
 * What composing a message costs inside a send (decision 0067): the bench's invoice (benchMessage:
 * text and HTML) with the end-to-end row's 30 KB PDF, sent over STARTTLS + AUTH to the bench's SMTP server through one nodemailer pool (5
 * connections, 20 sends in flight), in ROUNDS interleaved rounds of N sends each way:
 * - `nodemailer`: the options toNodemailerMessage gives, composed and streamed by nodemailer (MailComposer);
 * - `via mailer`: composeSmtpMail's bytes handed to the mailer's `sendMail` as `raw` (the transport before decision 0068);
 * - `mailroom`: what the SMTP transport sends, composeSmtpMail's bytes (composeMimeTree + serializeMimeTree),
 *   handed to the pool transport itself (submitSmtpMail, decision 0068).
 * All three through Mailroom's DATA encoder (decision 0065), so only the composing and the handing over differ. Prints this
 * process's CPU per email (the client) and the server's, and the rate, per round.
 *
 *   npx tsx bench/support/compose-send-probe.ts [N=2000] [ROUNDS=5]
 */
async function main(): Promise<void> {
  const [N, ROUNDS] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 5)];
  installSmtpDataEncoder();
  const pdf = invoicePdf(30 * 1024);
  const invoice = (i: number) => ({
    ...benchMessage(i),
    attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: pdf }],
  });
  const sink = await startSinkProcess();
  const pool = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    requireTLS: true,
    pool: true,
    maxConnections: 5,
    auth: { user: BENCH_USER, pass: BENCH_PASS },
  });
  const ways: Record<string, (i: number) => Promise<unknown>> = {
    nodemailer: (i) => pool.sendMail(toNodemailerMessage(invoice(i))),
    'via mailer': (i) => pool.sendMail(asMailerOptions(composeSmtpMail(invoice(i)))),
    mailroom: (i) => submitSmtpMail(pool, composeSmtpMail(invoice(i))),
  };
  try {
    for (const send of Object.values(ways)) await inPool(range(300), 20, send);
    for (let round = 1; round <= ROUNDS; round++)
      for (const [way, send] of Object.entries(ways)) {
        const [client, server, started] = [cpuMsOf(process.pid), cpuMsOf(sink.child.pid!), Date.now()];
        await inPool(range(N), 20, send);
        const perEmail = (before: number, pid: number) => ((cpuMsOf(pid) - before) / N).toFixed(3);
        console.log(
          `round ${round} ${way.padEnd(10)} client ${perEmail(client, process.pid)} ms CPU per email, server ${perEmail(server, sink.child.pid!)}, ${Math.round((N / (Date.now() - started)) * 1000)} msg/s`,
        );
      }
  } finally {
    pool.close();
    await sink.stop();
  }
}

/** composeSmtpMail's bytes as options for the mailer's sendMail: how the transport handed them over before decision 0068. */
function asMailerOptions(mail: SmtpMail): SendMailOptions {
  if (mail.kind === 'options') return mail.options;
  return { raw: mail.raw, envelope: { from: mail.envelope.from || undefined, to: mail.envelope.to }, messageId: mail.messageId };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
