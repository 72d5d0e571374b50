import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { API_KEY, startMailroom } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { quantile, timedMs } from '../support/measure';
import { AppProcess, startAppProcess, startScriptProcess } from '../support/app-process';

const requests = () => envInt('BENCH_ENQUEUE_N', 2000);
const connections = () => envInt('BENCH_ENQUEUE_CONNECTIONS', 50);

/** A 30 KB invoice PDF (a PDF header, then bytes that do not compress). */
const PDF_30KB = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(30 * 1024 - 9)]).toString('base64');

const body = (run: string, i: number) =>
  JSON.stringify({
    to: [`c${i}@x.example`],
    subject: `Invoice ${run}-${i}`,
    text: 'Please find your invoice attached.',
    attachments: [{ filename: `F-${i}.pdf`, contentType: 'application/pdf', content: PDF_30KB }],
    document: { type: 'invoice', id: `${run}-${i}` },
  });

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
}

/** `n` POSTs of an invoice with `width` connections busy at once; every answer must be 202. */
async function load(server: AppProcess, run: string, n: number, width: number): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const ms = await timedMs(() =>
    Promise.all(
      Array.from({ length: width }, async () => {
        while (next < n) {
          const i = next++;
          const payload = body(run, i);
          const t = process.hrtime.bigint();
          const res = await fetch(`${server.url}/v1/tenants/bench/emails`, {
            method: 'POST',
            headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `${run}-${i}` },
            body: payload,
          });
          await res.arrayBuffer();
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          if (res.status !== 202) throw new Error(`${run}: answered ${res.status}`);
        }
      }),
    ),
  );
  return { perSecond: (n / ms) * 1000, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

/**
 * Single enqueue (issue 9): BENCH_ENQUEUE_N invoices with a 30 KB PDF each, posted one per request
 * with BENCH_ENQUEUE_CONNECTIONS (50) busy at once to the API in its own process (validated, stored
 * with the content, admitted into the tenant's lane; no worker runs), against a bare Express endpoint
 * in its own process that parses the same body and answers 202 (bench/support/bare-express.ts). The
 * baseline runs before and after Mailroom and its figures are averaged (the machine drifts). Both
 * get the same warm-up.
 */
export const enqueueRow: BenchRowModule = {
  id: 'enqueue',
  sizes: () => ({ BENCH_ENQUEUE_N: requests(), BENCH_ENQUEUE_CONNECTIONS: connections() }),
  async run() {
    const n = requests();
    const width = connections();
    const m = await startMailroom({ LOG_LEVEL: 'info' }, { worker: false, logStream: devNull(), logLevel: 'silent' });
    const api = await startAppProcess('api', { ...m.env, LOG_LEVEL: 'info' });
    const bare = await startScriptProcess(path.join(__dirname, '..', 'support', 'bare-express.ts'), 'API_PORT', {});
    try {
      await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
      await load(api, 'warm', 200, width);
      await load(bare, 'warm', 200, width);
      const before = await load(bare, 'bare1', n, width);
      const ours = await load(api, 'mailroom', n, width);
      const after = await load(bare, 'bare2', n, width);
      const baseline = {
        perSecond: (before.perSecond + after.perSecond) / 2,
        p50: (before.p50 + after.p50) / 2,
        p99: (before.p99 + after.p99) / 2,
      };
      return [
        {
          name: `Single enqueue, ${n} invoices of 30 KB, ${width} connections (HTTP POST + record + content + lane)`,
          mailroom: ours.perSecond,
          baseline: baseline.perSecond,
          unit: 'req/s',
          ratio: ratio(ours.perSecond, baseline.perSecond),
          target: { on: 'ratio', op: '>=', value: 0.5 },
          baselineIs: 'bare Express parsing the same body, 202',
          note: `bare Express before ${before.perSecond.toFixed(0)}, after ${after.perSecond.toFixed(0)} req/s`,
        },
        {
          name: `Single enqueue, p99 latency at ${width} connections`,
          mailroom: ours.p99,
          baseline: baseline.p99,
          unit: 'ms',
          ratio: ratio(ours.p99, baseline.p99),
          target: { on: 'mailroom', op: '<', value: 25 },
          baselineIs: 'bare Express parsing the same body, 202',
          note: `p50 ${ours.p50.toFixed(1)} ms, bare Express p50 ${baseline.p50.toFixed(1)} ms`,
        },
      ];
    } finally {
      await api.stop();
      await bare.stop();
      await m.stop();
    }
  },
};

function devNull(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
