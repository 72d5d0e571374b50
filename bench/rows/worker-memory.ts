import fs from 'node:fs';
import { createRedisConnection, createSendQueue } from '@mailroom/queue';
import { startMailgunEmulator, startMailjetEmulator, startSendgridEmulator, startSmtpSink } from '@mailroom/testkit';
import { INVOICE_PDF, startMailroom, waitFor } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { inPool } from '../support/measure';
import { appNodeFlags, startAppProcess } from '../support/app-process';

const tenants = () => envInt('BENCH_MEMORY_TENANTS', 10_000);
const TARGET_MB = 250;
const MODES = ['smtp', 'sendgrid', 'mailgun', 'mailjet', 'platform'] as const;
const SMTP_USER = 'tenant@smtp.bench.example';
const SMTP_PASS = 'bench-smtp-password';

/** The process's resident set, MB (Linux /proc; the bench's machines are Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/**
 * Worker memory: BENCH_MEMORY_TENANTS tenants, a fifth in each mode (SMTP with its pool, SendGrid,
 * Mailgun and Mailjet SDK clients, the platform relay), each sending one invoice, so their transports
 * cycle through the worker's cache (TRANSPORT_CACHE_SIZE, its default). The worker runs as its own
 * process; its RSS is sampled every 100 ms. The baseline is the same process once warm: every mode
 * sent through once (code loaded, JIT, TLS contexts), before the tenants cycle.
 */
export const workerMemoryRow: BenchRowModule = {
  id: 'worker-memory',
  sizes: () => ({ BENCH_MEMORY_TENANTS: tenants() }),
  async run() {
    const N = tenants();
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [SMTP_USER]: SMTP_PASS } } });
    const sg = await startSendgridEmulator({ apiKeys: (key) => key.startsWith('SG.bench.') });
    const mg = await startMailgunEmulator({ region: 'eu', keys: ['key-bench-memory-0000000000000001'], domains: ['mg.bench.example'] });
    const mj = await startMailjetEmulator({ keys: [{ public: 'mj-public-memory', private: 'mj-private-memory' }] });
    const m = await startMailroom(
      { SENDGRID_API_URL: sg.url, MAILGUN_API_URL_EU: mg.url, MAILJET_API_URL: mj.url, LOG_LEVEL: 'silent' },
      { worker: false },
    );
    const redis = createRedisConnection(m.config.redisUrl);
    const queue = createSendQueue(redis, m.config.queuePrefix);
    let worker: Awaited<ReturnType<typeof startAppProcess>> | undefined;
    try {
      const settings = (i: number) => {
        const mode = MODES[i % MODES.length];
        if (mode === 'platform') return { mode: 'platform', senderName: `T${i}`, replyTo: `billing@t${i}.example` };
        if (mode === 'smtp')
          return {
            mode: 'smtp',
            senderName: `T${i}`,
            smtp: {
              preset: 'other',
              fromAddress: SMTP_USER,
              username: SMTP_USER,
              password: SMTP_PASS,
              host: '127.0.0.1',
              port: sink.port,
              tls: false,
            },
          };
        const provider =
          mode === 'sendgrid'
            ? { name: 'sendgrid', fromAddress: `billing@t${i}.example`, privateApiKey: `SG.bench.${i}` }
            : mode === 'mailgun'
              ? {
                  name: 'mailgun',
                  fromAddress: 'billing@mg.bench.example',
                  privateApiKey: 'key-bench-memory-0000000000000001',
                  region: 'eu',
                }
              : {
                  name: 'mailjet',
                  fromAddress: `billing@t${i}.example`,
                  privateApiKey: 'mj-private-memory',
                  publicApiKey: 'mj-public-memory',
                };
        return { mode: 'provider', senderName: `T${i}`, provider };
      };
      const ids = Array.from({ length: N }, (_, i) => i);
      await inPool(ids, 8, async (i) => {
        await m.call('PUT', `/v1/tenants/t${i}`, { name: `Tenant ${i}`, plan: 'premium', email: `owner@t${i}.example` });
        const r = await m.call('PUT', `/v1/tenants/t${i}/email-settings`, settings(i));
        if (r.status !== 200) throw new Error(`tenant t${i} settings: ${r.status} ${JSON.stringify(r.body)}`);
      });
      const invoice = (i: number) => ({
        to: [`client${i}@customer.example`],
        subject: `Invoice ${i}`,
        text: 'Invoice attached',
        attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      });
      const done = async (n: number) => {
        const c = await queue.getJobCounts('completed', 'failed');
        return c.completed + c.failed >= n;
      };
      worker = await startAppProcess('worker', { ...m.env, LOG_LEVEL: 'info' });
      const pid = worker.child.pid!;
      // Warm: every mode once, then the worker's settled RSS is the baseline.
      for (const i of ids.slice(0, MODES.length)) await m.call('POST', `/v1/tenants/t${i}/emails`, invoice(i));
      await waitFor(() => done(MODES.length), 'warm-up sends', 60_000, 50);
      await new Promise((r) => setTimeout(r, 2000));
      const baseline = rssMb(pid);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
      try {
        await inPool(ids.slice(MODES.length), 8, (i) => m.call('POST', `/v1/tenants/t${i}/emails`, invoice(i)));
        await waitFor(() => done(N), `${N} sends`, 15 * 60_000, 200);
      } finally {
        clearInterval(sampler);
      }
      const counts = await queue.getJobCounts('completed', 'failed');
      if (counts.failed > 0) throw new Error(`${counts.failed} of ${N} sends failed: the figure would not be of cycling transports`);
      const end = rssMb(pid);
      return [
        {
          name: `Worker RSS, ${N} tenants' transports cycling through the cache (5 modes)`,
          mailroom: peak,
          baseline,
          unit: 'MB',
          ratio: ratio(peak, baseline),
          target: { on: 'mailroom', op: '<', value: TARGET_MB },
          baselineIs: 'same worker, warm, before the cycle',
          note: `peak; ${end.toFixed(0)} MB at the end; worker flags: ${appNodeFlags('worker').join(' ') || 'none'}`,
        },
      ];
    } finally {
      await worker?.stop();
      await queue.close();
      redis.disconnect();
      await m.stop();
      await Promise.all([sink.close(), sg.close(), mg.close(), mj.close()]);
    }
  },
};
