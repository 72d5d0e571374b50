import { INVOICE_PDF, Mailroom, startMailroom, waitFor } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, medianRound, ratio, roundsNote } from './bench-row';
import { inPool, seededRandom, timedMs } from '../support/measure';
import { AppProcess, perfFlags, startAppProcess } from '../support/app-process';
import { BENCH_PASS, BENCH_USER, rawNodemailer } from '../support/bench-smtp';
import { startSinkProcess } from '../support/smtp-sink-process';
import { cpuMsOf } from '../support/process-cpu';
import { localRedisServerPid } from '../support/redis-server-pid';
import { httpPoster } from '../support/http-post';

const n = () => envInt('BENCH_E2E_N', 2000);
const clients = () => envInt('BENCH_E2E_CLIENTS', 20);
const rawPool = () => envInt('BENCH_E2E_RAW_POOL', 5);
/** Worker processes on the machine (1, as the quick start runs it; 2 measures a second one: decision 0049). */
const workers = () => envInt('BENCH_E2E_WORKERS', 1);
/**
 * Invoices before the clock, on both sides (connections, TLS sessions, JIT, heap sizes): not part of the
 * figure. A month-end run meets processes that have been running, so both are measured warm: the
 * worker's CPU per email fell from 2.3-2.8 ms over its first 1,500 to 1.7 by its 4,000th
 * (bench/support/worker-send-probe.ts). In this row, raw nodemailer's fell from 1.6-1.7 ms (40 before
 * the clock) to 1.3 (1,000) and 1.1-1.2 (3,000), Mailroom's total from 4.7-5.9 to 4.1-4.9 and 3.5-4.2;
 * the ratio did not move (0.46-0.51, 0.45-0.54, 0.44-0.52: two runs each).
 */
const warmCount = () => envInt('BENCH_E2E_WARM', 1000);
/**
 * Measured rounds: Mailroom's BENCH_E2E_N between two of raw nodemailer's, alternating, and the row is
 * the round with the median ratio (decision 0070). One pair, as before, read 615 msg/s of raw nodemailer
 * before Mailroom's run and 345 after it: the machine's other tenants moved more than anything measured.
 */
const rounds = () => envInt('BENCH_E2E_ROUNDS', 3);

/** An invoice as the platform posts it. */
export const invoiceBody = (i: number, pdf: Buffer | string = INVOICE_PDF) => ({
  to: [`c${i}@x.example`],
  subject: `Invoice ${i}`,
  text: 'Invoice attached',
  attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: typeof pdf === 'string' ? pdf : pdf.toString('base64') }],
});

/** The same invoice as raw nodemailer sends it in the baseline: what `invoiceBody` posts, as a message. */
export const rawInvoiceMail = (i: number, pdf: Buffer) => ({
  from: BENCH_USER,
  to: `c${i}@x.example`,
  subject: `Invoice ${i}`,
  text: 'Invoice attached',
  attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: pdf }],
});

/** The tenant `bench`, sending through its own SMTP server (the bench's sink, STARTTLS + AUTH) as the row measures it. */
export async function createBenchTenant(m: Mailroom, sinkPort: number): Promise<void> {
  await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
  const saved = await m.call('PUT', '/v1/tenants/bench/email-settings', {
    mode: 'smtp',
    senderName: 'Bench',
    smtp: {
      preset: 'other',
      fromAddress: BENCH_USER,
      username: BENCH_USER,
      password: BENCH_PASS,
      host: '127.0.0.1',
      port: sinkPort,
      tls: false,
    },
  });
  if (saved.status !== 200) throw new Error(`settings: ${saved.status} ${JSON.stringify(saved.body)}`);
}

/** A 30 KB PDF: the header of a real one, then incompressible bytes (the same every run). */
export function invoicePdf(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n', 'latin1');
  const random = seededRandom(30);
  const body = Buffer.alloc(Math.max(0, bytes - head.length - 6), 0).map(() => Math.floor(random() * 256));
  return Buffer.concat([head, body, Buffer.from('\n%%EOF', 'latin1')]);
}

/**
 * End to end (issue 9): BENCH_E2E_N invoices with a 30 KB PDF each, posted to the API by
 * BENCH_E2E_CLIENTS concurrent clients, queued, sent by the worker to an SMTP server over STARTTLS
 * with AUTH; the clock stops when every email is recorded as accepted in the history, not merely
 * received. The baseline is raw nodemailer (a pool of BENCH_E2E_RAW_POOL connections, as many sends
 * in flight as there are clients) sending the same messages to the same server. Both are warmed first;
 * then BENCH_E2E_ROUNDS rounds alternate, raw nodemailer's N before and after each of Mailroom's N, and
 * each Mailroom round is judged against the mean of the raw rounds either side of it, so drift on a
 * shared machine weighs on both sides alike. Raw nodemailer's rounds run while Mailroom's processes
 * idle between theirs.
 *
 * Everything runs as production runs it: the API and the worker each in their own OS process
 * (apps/<app>/dist/main.js, compiled as the image compiles it; LOG_LEVEL=info, default WORKER_CONCURRENCY
 * and SMTP pool), the SMTP server in another (bench/support/smtp-sink-process.ts: reads and counts, parses nothing), the clients here.
 * The note gives each process's CPU per email over the timed windows (all of Mailroom's rounds), Redis's and this process's (the
 * posting clients) included when Redis runs on this machine: on 2 cores the throughput is what that
 * whole budget allows, on both sides.
 * BENCH_E2E_CPU_PROF=dir writes the API's and the worker's CPU profiles there
 * (`npx tsx bench/support/cpu-profile-top.ts <file>` prints their top frames); BENCH_PERF=1 runs them under
 * `--perf-basic-prof`, for `perf record` (app-process.ts).
 */
export const endToEndRow: BenchRowModule = {
  id: 'e2e',
  sizes: () => ({
    BENCH_E2E_N: n(),
    BENCH_E2E_CLIENTS: clients(),
    BENCH_E2E_RAW_POOL: rawPool(),
    BENCH_E2E_WORKERS: workers(),
    BENCH_E2E_WARM: warmCount(),
    BENCH_E2E_ROUNDS: rounds(),
  }),
  async run() {
    const [N, CLIENTS] = [n(), clients()];
    const pdf = invoicePdf(30 * 1024);
    /** Encoded once: the clients stand for the platform's backend, whose cost is not Mailroom's. */
    const pdfBase64 = pdf.toString('base64');
    const sink = await startSinkProcess();
    const m = await startMailroom({ LOG_LEVEL: 'silent' }, { worker: false });
    const profileDir = process.env.BENCH_E2E_CPU_PROF;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : perfFlags();
    const env = { ...m.env, LOG_LEVEL: 'info', API_PORT: '0', WORKER_PORT: '0' };
    const apps: { stop(): Promise<void> }[] = [];
    try {
      await createBenchTenant(m, sink.port);

      /** CPU time (user + system) per email of each process over the timed windows: what the machine's load does not blur. */
      const cpuPerEmail = { raw: [] as number[], rawServer: [] as number[], api: 0, worker: 0, server: 0, redis: NaN, clients: 0 };
      const redisPid = await localRedisServerPid(m.config.redisUrl);
      // Raw nodemailer's pool stays open from its warm-up to its last round, as Mailroom's processes do.
      const raw = rawNodemailer(sink.port, rawPool());
      apps.push({ stop: async () => raw.close() });
      const rawSend = (i: number) => raw.sendMail(rawInvoiceMail(i, pdf));
      const rawRound = async () => {
        const cpu = [cpuMsOf(process.pid), cpuMsOf(sink.child.pid!)];
        const ms = await timedMs(() => inPool(range(0, N), CLIENTS, rawSend));
        cpuPerEmail.raw.push((cpuMsOf(process.pid) - cpu[0]) / N);
        cpuPerEmail.rawServer.push((cpuMsOf(sink.child.pid!) - cpu[1]) / N);
        return (N / ms) * 1000;
      };
      await inPool(range(0, warmCount()), CLIENTS, rawSend);
      const rawRates = [await rawRound()];

      const api = await startAppProcess('api', env, nodeArgs);
      apps.push(api);
      const workerProcesses: AppProcess[] = [];
      for (let k = 0; k < workers(); k++) workerProcesses.push(await startAppProcess('worker', env, nodeArgs));
      apps.push(...workerProcesses);
      const store = m.api.deps.store;
      const client = httpPoster(CLIENTS);
      // Each request's bytes built before the clock, as the batch row does: serializing and encoding a
      // 41 KB body is the platform's work, on its own machines, not the API's.
      const bodiesOf = (from: number, count: number) =>
        range(from, from + count).map((i) => Buffer.from(JSON.stringify(invoiceBody(i, pdfBase64))));
      const post = async (body: Buffer): Promise<string> => {
        const res = await client.post(
          `${api.url}/v1/tenants/bench/emails`,
          { authorization: `Bearer ${m.config.apiKeys[0]}`, 'content-type': 'application/json' },
          body,
        );
        const answer = JSON.parse(res.body) as { id?: string };
        if (res.status !== 202 || !answer.id) throw new Error(`enqueue answered ${res.status}: ${res.body}`);
        return answer.id;
      };
      /** Waits until every id is recorded as accepted (the SMTP server's count first: it is cheap to ask). */
      const allAccepted = async (ids: string[], expected: number) => {
        await waitFor(async () => (await sink.count()).messages >= expected, 'the SMTP server to receive every email', 300_000, 10);
        let pending = ids;
        await waitFor(
          async () => {
            const states = await Promise.all(pending.map((id) => store.emails.get('bench', id)));
            const failed = states.find((e) => e && !['queued', 'sending', 'accepted'].includes(e.status));
            if (failed) throw new Error(`email ${failed.id} ended ${failed.status}: ${JSON.stringify(failed.attempts.at(-1))}`);
            pending = pending.filter((_, k) => states[k]?.status !== 'accepted');
            return pending.length === 0;
          },
          'every email recorded as accepted',
          60_000,
          10,
        );
      };
      const workerPids = workerProcesses.map((w) => w.child.pid!);
      /** Each process's CPU ms so far: the workers summed (the row's worker figure is per email, whichever sent it). */
      const cpuNow = () => ({
        api: cpuMsOf(api.child.pid!),
        worker: workerPids.reduce((sum, pid) => sum + cpuMsOf(pid), 0),
        server: cpuMsOf(sink.child.pid!),
        redis: redisPid === undefined ? NaN : cpuMsOf(redisPid),
        clients: cpuMsOf(process.pid),
      });
      type Cpu = ReturnType<typeof cpuNow>;
      const cpuSpent: Cpu = { api: 0, worker: 0, server: 0, redis: 0, clients: 0 };
      /** Posts `bodies` from CLIENTS clients and waits until every one is accepted: the rate, and each process's CPU added to `into`. */
      const mailroomRound = async (bodies: Buffer[], into?: Cpu) => {
        await sink.reset();
        const ids: string[] = [];
        const before = cpuNow();
        const ms = await timedMs(async () => {
          await inPool(bodies, CLIENTS, async (body) => void ids.push(await post(body)));
          await allAccepted(ids, bodies.length);
        });
        const after = cpuNow();
        if (into) for (const k of Object.keys(into) as (keyof Cpu)[]) into[k] += after[k] - before[k];
        return (bodies.length / ms) * 1000;
      };
      await mailroomRound(bodiesOf(0, warmCount()));

      // Rounds: Mailroom's N, then raw nodemailer's N again; each Mailroom round is judged against the raw
      // rounds on either side of it, so the machine's drift weighs on both alike (decision 0070).
      const mailroomRates: number[] = [];
      for (let r = 0; r < rounds(); r++) {
        mailroomRates.push(await mailroomRound(bodiesOf(warmCount() + r * N, N), cpuSpent));
        rawRates.push(await rawRound());
      }
      const emails = N * rounds();
      for (const k of Object.keys(cpuSpent) as (keyof Cpu)[]) cpuPerEmail[k] = cpuSpent[k] / emails;
      client.close();
      const measured = mailroomRates.map((mailroom, r) => {
        const baseline = (rawRates[r] + rawRates[r + 1]) / 2;
        return { mailroom, baseline, ratio: ratio(mailroom, baseline) };
      });
      const median = medianRound(measured);
      const roundsText = roundsNote(measured);
      return [
        {
          name: `End to end, ${N} invoices of 30 KB from ${CLIENTS} clients (API + queue + ${workers() === 1 ? 'worker' : `${workers()} workers`} + history), STARTTLS + AUTH`,
          mailroom: median.mailroom,
          baseline: median.baseline,
          unit: 'msg/s',
          ratio: median.ratio,
          target: { on: 'ratio', op: '>=', value: 0.75 },
          baselineIs: `raw nodemailer, pool of ${rawPool()}`,
          note: `${roundsText && `${roundsText}; `}raw nodemailer's rounds ${rawRates.map((x) => x.toFixed(0)).join(', ')} msg/s; ${cpuBudget(cpuPerEmail)}`,
        },
      ];
    } finally {
      for (const app of apps) await app.stop();
      await m.stop();
      await sink.stop();
    }
  },
};

interface CpuPerEmail {
  raw: number[];
  rawServer: number[];
  api: number;
  worker: number;
  server: number;
  /** NaN when Redis is not on this machine. */
  redis: number;
  /** This process: the posting clients (and the idle harness). */
  clients: number;
}

/** Each process's CPU ms per email, and the sums: what 2 cores must find per email on each side. */
function cpuBudget(c: CpuPerEmail): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [raw, rawServer] = [mean(c.raw), mean(c.rawServer)];
  const ours = c.api + c.worker + c.server + (Number.isNaN(c.redis) ? 0 : c.redis);
  const f = (x: number) => x.toFixed(2);
  return (
    `CPU ms per email: API ${f(c.api)}, worker ${f(c.worker)}, SMTP server ${f(c.server)}` +
    (Number.isNaN(c.redis) ? '' : `, Redis ${f(c.redis)}`) +
    `, total ${f(ours)} (the posting clients ${f(c.clients)} more); raw nodemailer ${f(raw)}, SMTP server ${f(rawServer)}, total ${f(raw + rawServer)}`
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
