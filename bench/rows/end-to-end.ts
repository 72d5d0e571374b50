import { startSmtpSink } from '@mailroom/testkit';
import { INVOICE_PDF, startMailroom, waitFor } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { inPool, timedMs } from '../support/measure';
import { BENCH_PASS, BENCH_USER, rawNodemailer } from '../support/bench-smtp';

const n = () => envInt('BENCH_N', 200);

/** An invoice as the platform posts it. */
export const invoiceBody = (i: number) => ({
  to: [`c${i}@x.example`],
  subject: `Invoice ${i}`,
  text: 'Invoice attached',
  attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
});

/**
 * End to end: N invoices posted to the API, queued, sent by the worker to a STARTTLS + AUTH sink, vs
 * raw nodemailer sending them to the same sink. (Issue 9's full version, 2,000 invoices of 30 KB from 20
 * clients with every email recorded as accepted, replaces this module.)
 */
export const endToEndRow: BenchRowModule = {
  id: 'e2e',
  sizes: () => ({ BENCH_N: n() }),
  async run() {
    const N = n();
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [BENCH_USER]: BENCH_PASS } } });
    const m = await startMailroom({ WORKER_CONCURRENCY: '4', LOG_LEVEL: 'silent' });
    try {
      await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
      await m.call('PUT', '/v1/tenants/bench/email-settings', {
        mode: 'smtp',
        senderName: 'Bench',
        smtp: {
          preset: 'other',
          fromAddress: BENCH_USER,
          username: BENCH_USER,
          password: BENCH_PASS,
          host: '127.0.0.1',
          port: sink.port,
          tls: false,
        },
      });
      const ids = Array.from({ length: N }, (_, i) => i);
      const raw = rawNodemailer(sink.port, 2);
      const baselineMs = await timedMs(() =>
        inPool(ids, 4, (i) =>
          raw.sendMail({
            from: BENCH_USER,
            to: `c${i}@x.example`,
            subject: `Invoice ${i}`,
            text: 'x',
            attachments: [{ filename: 'f.pdf', content: INVOICE_PDF }],
          }),
        ),
      );
      raw.close();
      sink.clear();
      const oursMs = await timedMs(async () => {
        await inPool(ids, 4, (i) => m.call('POST', '/v1/tenants/bench/emails', invoiceBody(i)));
        await waitFor(async () => sink.messages.length >= N, 'all delivered', 120000, 20);
      });
      const mailroom = (N / oursMs) * 1000;
      const baseline = (N / baselineMs) * 1000;
      return [
        {
          name: `End to end, ${N} invoices (API + queue + worker)`,
          mailroom,
          baseline,
          unit: 'msg/s',
          ratio: ratio(mailroom, baseline),
          target: { on: 'ratio', op: '>=', value: 0.75 },
          baselineIs: 'raw nodemailer, pool of 2',
          note: 'small version; the full run of issue 9 replaces it',
        },
      ];
    } finally {
      await m.stop();
      await sink.close();
    }
  },
};
