/**
 * pnpm bench: each Mailroom figure beside a baseline measured in the same run against the same local
 * servers, because these machines are shared and absolute times drift. Prints a table.
 *
 *   1. SMTP send: raw nodemailer (pooled) vs Mailroom's SmtpTransport, N messages to one sink.
 *   2. End to end: N invoices through API -> Redis -> worker -> SMTP sink vs raw nodemailer N sends.
 *   3. Enqueue: raw BullMQ queue.add vs POST /emails (record + job), N requests.
 *   4. History queries with filters on a grown SQLite history vs the unfiltered page (ms per query).
 */
import nodemailer from 'nodemailer';
import { SmtpHostGuard, SmtpTransport } from '@mailroom/transports';
import { OutboundAddressPolicy } from '@mailroom/security';
import { startSmtpSink } from '@mailroom/testkit';
import { createRedisConnection, createSendQueue } from '@mailroom/queue';
import { startMailroom, waitFor, INVOICE_PDF } from '../e2e/support/mailroom-harness';
import { historyQueries } from './history-queries';

const N = Number(process.env.BENCH_N ?? 200);
const USER = 'bench@bench.example';
const PASS = 'bench-password';
const rows: { name: string; baseline: number; mailroom: number; unit: string }[] = [];

const message = (i: number) => ({
  from: { email: USER, name: 'Bench' },
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
});

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

async function smtpSend() {
  const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
  const ids = Array.from({ length: N }, (_, i) => i);
  const raw = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    requireTLS: true,
    pool: true,
    maxConnections: 2,
    auth: { user: USER, pass: PASS },
  });
  const warm = ids.slice(0, 20);
  const rawSend = (i: number) => {
    const m = message(i);
    return raw.sendMail({
      from: m.from.email,
      to: m.to[0].email,
      subject: m.subject,
      text: m.text,
      html: m.html,
      attachments: [{ filename: 'f.pdf', content: INVOICE_PDF }],
    });
  };
  await pool(warm, 4, rawSend);
  const baseline = await timed(() =>
    pool(ids, 4, (i) => {
      const m = message(i);
      return raw.sendMail({
        from: m.from.email,
        to: m.to[0].email,
        subject: m.subject,
        text: m.text,
        html: m.html,
        attachments: [{ filename: 'f.pdf', content: INVOICE_PDF }],
      });
    }),
  );
  raw.close();
  const ours = new SmtpTransport({
    host: '127.0.0.1',
    port: sink.port,
    tls: false,
    username: USER,
    password: PASS,
    pool: { maxConnections: 2 },
    // The SSRF guard as production runs it, with the local sink allowlisted: its cost is in the figure.
    hostGuard: new SmtpHostGuard(new OutboundAddressPolicy([{ address: '127.0.0.1', prefixLength: 32 }])),
  });
  await pool(warm, 4, (i) => ours.send(message(i)));
  const mailroom = await timed(() => pool(ids, 4, (i) => ours.send(message(i))));
  ours.close();
  await sink.close();
  rows.push({ name: `SMTP send, ${N} msgs (pool of 2)`, baseline: (N / baseline) * 1000, mailroom: (N / mailroom) * 1000, unit: 'msg/s' });
}

async function endToEnd() {
  const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
  const m = await startMailroom({ WORKER_CONCURRENCY: '4', LOG_LEVEL: 'silent' });
  await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
  await m.call('PUT', '/v1/tenants/bench/email-settings', {
    mode: 'smtp',
    senderName: 'Bench',
    smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false },
  });
  const body = (i: number) => ({
    to: [`c${i}@x.example`],
    subject: `Invoice ${i}`,
    text: 'Invoice attached',
    attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
  });
  const raw = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    requireTLS: true,
    pool: true,
    maxConnections: 2,
    auth: { user: USER, pass: PASS },
  });
  const ids = Array.from({ length: N }, (_, i) => i);
  const baseline = await timed(() =>
    pool(ids, 4, (i) =>
      raw.sendMail({
        from: USER,
        to: `c${i}@x.example`,
        subject: `Invoice ${i}`,
        text: 'x',
        attachments: [{ filename: 'f.pdf', content: INVOICE_PDF }],
      }),
    ),
  );
  raw.close();
  sink.clear();
  const mailroom = await timed(async () => {
    await pool(ids, 4, (i) => m.call('POST', '/v1/tenants/bench/emails', body(i)));
    await waitFor(async () => sink.messages.length >= N, 'all delivered', 120000, 20);
  });
  rows.push({
    name: `End to end, ${N} invoices (API+queue+worker)`,
    baseline: (N / baseline) * 1000,
    mailroom: (N / mailroom) * 1000,
    unit: 'msg/s',
  });

  const redis = createRedisConnection(m.config.redisUrl);
  const q = createSendQueue(redis, `${m.config.queuePrefix}-raw`);
  const rawAdd = await timed(() => pool(ids, 4, (i) => q.add('send', { tenantId: 'bench', emailId: `raw-${i}` }, { jobId: `raw-${i}` })));
  await q.obliterate({ force: true });
  await q.close();
  redis.disconnect();
  await m.worker?.stop();
  m.worker = undefined;
  const enqueue = await timed(() => pool(ids, 4, (i) => m.call('POST', '/v1/tenants/bench/emails', body(i))));
  rows.push({
    name: `Enqueue, ${N} (raw queue.add vs HTTP POST+record)`,
    baseline: (N / rawAdd) * 1000,
    mailroom: (N / enqueue) * 1000,
    unit: 'req/s',
  });
  await m.stop();
  await sink.close();
}

async function main() {
  await smtpSend();
  await endToEnd();
  for (const h of await historyQueries()) rows.push({ name: h.name, baseline: h.baseline, mailroom: h.mailroom, unit: 'ms/q' });
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\n${pad('benchmark', 50)} ${pad('baseline', 12)} ${pad('mailroom', 12)} ratio`);
  console.log('-'.repeat(84));
  const fmt = (v: number, unit: string) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ${unit}`;
  for (const r of rows)
    console.log(
      `${pad(r.name, 50)} ${pad(fmt(r.baseline, r.unit), 12)} ${pad(fmt(r.mailroom, r.unit), 12)} ${(r.mailroom / r.baseline).toFixed(2)}x`,
    );
  console.log('(msg/s and req/s: higher is better; ms/q: lower is better)');
  console.log(`\nBaselines run in this same process against the same local servers. N=${N} (BENCH_N).`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
