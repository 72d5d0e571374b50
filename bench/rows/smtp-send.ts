import { SmtpHostGuard, SmtpTransport } from '@mailroom/transports';
import { OutboundAddressPolicy } from '@mailroom/security';
import { startSmtpSink } from '@mailroom/testkit';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { inPool, timedMs } from '../support/measure';
import { BENCH_PASS, BENCH_USER, benchMessage, rawMessage, rawNodemailer } from '../support/bench-smtp';

const n = () => envInt('BENCH_N', 200);

/** Mailroom's SmtpTransport (pooled, SSRF guard on) vs raw pooled nodemailer, N invoices to one STARTTLS + AUTH sink. */
export const smtpSendRow: BenchRowModule = {
  id: 'smtp',
  sizes: () => ({ BENCH_N: n() }),
  async run() {
    const N = n();
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [BENCH_USER]: BENCH_PASS } } });
    try {
      const ids = Array.from({ length: N }, (_, i) => i);
      const warm = ids.slice(0, 20);
      const raw = rawNodemailer(sink.port, 2);
      await inPool(warm, 4, (i) => raw.sendMail(rawMessage(i)));
      const baselineMs = await timedMs(() => inPool(ids, 4, (i) => raw.sendMail(rawMessage(i))));
      raw.close();
      const ours = new SmtpTransport({
        host: '127.0.0.1',
        port: sink.port,
        tls: false,
        username: BENCH_USER,
        password: BENCH_PASS,
        pool: { maxConnections: 2 },
        // The SSRF guard as production runs it, with the local sink allowlisted: its cost is in the figure.
        hostGuard: new SmtpHostGuard(new OutboundAddressPolicy([{ address: '127.0.0.1', prefixLength: 32 }])),
      });
      await inPool(warm, 4, (i) => ours.send(benchMessage(i)));
      const oursMs = await timedMs(() => inPool(ids, 4, (i) => ours.send(benchMessage(i))));
      ours.close();
      const mailroom = (N / oursMs) * 1000;
      const baseline = (N / baselineMs) * 1000;
      return [
        {
          name: `SMTP send, ${N} invoices (pool of 2, 4 in flight)`,
          mailroom,
          baseline,
          unit: 'msg/s',
          ratio: ratio(mailroom, baseline),
          target: null,
          baselineIs: 'raw nodemailer, pool of 2',
        },
      ];
    } finally {
      await sink.close();
    }
  },
};
