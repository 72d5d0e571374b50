import nodemailer from 'nodemailer';
import { smtpDataEncoderInstalled, type OutgoingMessage } from '@mailroom/transports';
import { INVOICE_PDF } from '../../e2e/support/mailroom-harness';

/** The account the bench's SMTP sinks accept (STARTTLS + AUTH, like a tenant's real server). */
export const BENCH_USER = 'bench@bench.example';
export const BENCH_PASS = 'bench-password';

/** One invoice as Mailroom's transports take it. */
export function benchMessage(i: number): OutgoingMessage {
  return {
    from: { email: BENCH_USER, name: 'Bench' },
    to: [{ email: `c${i}@x.example` }],
    cc: [],
    bcc: [],
    subject: `Invoice ${i}`,
    text: 'Invoice attached',
    html: '<p>Invoice attached</p>',
    attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: INVOICE_PDF }],
    messageId: `<bench-${i}-${Date.now()}@bench.example>`,
    headers: {},
    emailId: `em_bench_${i}`,
    tenantId: 'bench',
    trackOpens: false,
  };
}

/**
 * Raw nodemailer, pooled, to a local sink: the baseline of the sending rows. It is nodemailer as
 * published: Mailroom's SmtpTransport puts its own DATA encoder in nodemailer's place in the process
 * that builds one (smtp-data-encoder.ts), so a baseline built in such a process is refused.
 */
export function rawNodemailer(port: number, maxConnections: number) {
  if (smtpDataEncoderInstalled())
    throw new Error("the baseline must be nodemailer as published, and this process's nodemailer has Mailroom's DATA encoder");
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    pool: true,
    maxConnections,
    auth: { user: BENCH_USER, pass: BENCH_PASS },
  });
}

/** The same invoice as a raw nodemailer message. */
export function rawMessage(i: number) {
  const m = benchMessage(i);
  return {
    from: m.from.email,
    to: m.to[0].email,
    subject: m.subject,
    text: m.text,
    html: m.html,
    attachments: [{ filename: 'f.pdf', content: INVOICE_PDF }],
  };
}
