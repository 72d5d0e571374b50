import { startMailroom, waitFor } from '../../e2e/support/mailroom-harness';
import { createBenchTenant, invoiceBody, invoicePdf, rawInvoiceMail } from '../rows/end-to-end';
import { AppProcess, startAppProcess } from './app-process';
import { rawNodemailer } from './bench-smtp';
import { httpPoster } from './http-post';
import { inPool } from './measure';
import { cpuMsOf, threadCpuMsOf } from './process-cpu';
import { startSinkProcess } from './smtp-sink-process';

/**
 * The worker's CPU per email, alone: what the end-to-end row's worker costs, without the API's and the
 * clients' load blurring it (CPU time per process does not drift with the machine's load the way
 * throughput does). Posts ROUNDS x N invoices of 30 KB through the API (in this process), while the
 * worker (its own process, as production runs it) sends them to an SMTP server over STARTTLS + AUTH;
 * prints the worker's CPU ms per email for each round, and raw nodemailer's (this process, pool of 5,
 * 20 in flight) to the same server before them. `PROBE_NODE_ARGS` go to the worker (e.g.
 * `--perf-basic-prof` for `perf record -g -p <pid>`; its pid is printed); `PROBE_LOG_LEVEL` is the worker's LOG_LEVEL (info).
 *
 *   npx tsx bench/support/worker-send-probe.ts [N=1500] [ROUNDS=3]
 */
async function main(): Promise<void> {
  const [N, ROUNDS] = [Number(process.argv[2] ?? 1500), Number(process.argv[3] ?? 3)];
  const pdf = invoicePdf(30 * 1024);
  const pdfBase64 = pdf.toString('base64');
  const sink = await startSinkProcess();
  const m = await startMailroom({ LOG_LEVEL: 'silent' }, { worker: false });
  try {
    const raw = rawNodemailer(sink.port, 5);
    const rawSend = (i: number) => raw.sendMail(rawInvoiceMail(i, pdf));
    await inPool(range(0, 200), 20, rawSend);
    const rawBefore = cpuMsOf(process.pid);
    await inPool(range(0, N), 20, rawSend);
    console.log(`raw nodemailer: ${((cpuMsOf(process.pid) - rawBefore) / N).toFixed(3)} ms CPU per email`);
    raw.close();

    await createBenchTenant(m, sink.port);
    const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // PROBE_WORKERS=2: that many worker processes on the same store and queue (their CPU summed; the first one's main thread).
    const workers: AppProcess[] = [];
    for (let k = 0; k < Number(process.env.PROBE_WORKERS ?? 1); k++)
      workers.push(
        await startAppProcess('worker', { ...m.env, LOG_LEVEL: process.env.PROBE_LOG_LEVEL ?? 'info', WORKER_PORT: '0' }, nodeArgs),
      );
    const worker = workers[0];
    const workersCpuMs = () => workers.reduce((sum, w) => sum + cpuMsOf(w.child.pid!), 0);
    console.log(`worker pid ${workers.map((w) => w.child.pid).join(' ')}`);
    const client = httpPoster(20);
    const post = async (i: number) => {
      const res = await client.post(
        `${m.api.url}/v1/tenants/bench/emails`,
        { authorization: `Bearer ${m.config.apiKeys[0]}`, 'content-type': 'application/json' },
        JSON.stringify(invoiceBody(i, pdfBase64)),
      );
      if (res.status !== 202) throw new Error(`enqueue answered ${res.status}: ${res.body}`);
    };
    let sent = 0;
    const round = async (count: number) => {
      const before = workersCpuMs();
      const mainBefore = mainThreadCpuMs(worker.child.pid!);
      const started = Date.now();
      await sink.reset();
      await inPool(range(sent, sent + count), 20, post);
      sent += count;
      await waitFor(async () => (await sink.count()).messages >= count, 'every email at the SMTP server', 600_000, 20);
      const ms = Date.now() - started;
      return { cpu: (workersCpuMs() - before) / count, ms, mainBusy: (mainThreadCpuMs(worker.child.pid!) - mainBefore) / ms };
    };
    await round(300);
    for (let r = 0; r < ROUNDS; r++) {
      const { cpu, ms, mainBusy } = await round(N);
      console.log(
        `round ${r + 1}: worker ${cpu.toFixed(3)} ms CPU per email (${((N / ms) * 1000).toFixed(0)} msg/s; its main thread busy ${(mainBusy * 100).toFixed(0)} % of the time)`,
      );
    }
    client.close();
    for (const w of workers) await w.stop();
  } finally {
    await m.stop();
    await sink.stop();
  }
}

/** CPU ms of a process's main thread alone (its JavaScript; V8's compiler and GC helpers and libuv's pool are other threads). */
const mainThreadCpuMs = (pid: number) => threadCpuMsOf(pid, pid);

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
