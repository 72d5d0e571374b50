import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { createRedisConnection, createSendQueue, TenantLanes } from '@mailroom/queue';
import { API_KEY, startMailroom } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { inPool, timedMs } from '../support/measure';
import { startAppProcess } from '../support/app-process';
import { httpPoster } from '../support/http-post';

const emails = () => envInt('BENCH_BATCH_EMAILS', 5000);
const perRequest = () => envInt('BENCH_BATCH_SIZE', 100);
const inFlight = () => envInt('BENCH_BATCH_IN_FLIGHT', 4);
const singles = () => envInt('BENCH_BATCH_SINGLES', 1000);

/** A 30 KB invoice PDF (a PDF header, then bytes that do not compress), as the month-end run attaches. */
const PDF_30KB = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(30 * 1024 - 9)]).toString('base64');

const invoice = (run: string, i: number) => ({
  to: [`c${i}@x.example`],
  subject: `Invoice ${run}-${i}`,
  text: 'Please find your invoice attached.',
  attachments: [{ filename: `F-${i}.pdf`, contentType: 'application/pdf', content: PDF_30KB }],
  document: { type: 'invoice', id: `${run}-${i}` },
});

/**
 * Batch enqueue: BENCH_BATCH_EMAILS invoices with a 30 KB PDF each, posted BENCH_BATCH_SIZE (100) per
 * request to `POST .../emails/batch` of the API in its own process (validated, stored with their
 * content, jobs added; no worker runs), BENCH_BATCH_IN_FLIGHT requests at a time; every email must be
 * answered `queued` and be in its tenant's lane (a job, or a place in the backlog: decision 0026) before the clock stops. The baseline is what the queue alone takes:
 * raw BullMQ `addBulk` of the same number of jobs in bulks of the same size. The note gives the single
 * enqueue path's rate over BENCH_BATCH_SINGLES of the same invoices (16 connections), measured alongside.
 * `BENCH_BATCH_CPU_PROF=dir` writes the API's CPU profile there.
 */
export const batchEnqueueRow: BenchRowModule = {
  id: 'batch-enqueue',
  sizes: () => ({
    BENCH_BATCH_EMAILS: emails(),
    BENCH_BATCH_SIZE: perRequest(),
    BENCH_BATCH_IN_FLIGHT: inFlight(),
    BENCH_BATCH_SINGLES: singles(),
  }),
  async run() {
    const N = emails();
    const size = perRequest();
    const m = await startMailroom({ LOG_LEVEL: 'info' }, { worker: false, logStream: devNull(), logLevel: 'silent' });
    const profileDir = process.env.BENCH_BATCH_CPU_PROF;
    const api = await startAppProcess(
      'api',
      { ...m.env, LOG_LEVEL: 'info' },
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const redis = createRedisConnection(m.config.redisUrl);
    const sendQueue = createSendQueue(redis, m.config.queuePrefix);
    const rawQueue = createSendQueue(redis, `${m.config.queuePrefix}-raw`);
    const lanes = new TenantLanes(redis, { prefix: m.config.queuePrefix, maxInFlight: m.config.send.tenantMaxInFlight });
    // What the API has put into the tenant's lane: jobs (at most TENANT_MAX_IN_FLIGHT) and ids waiting in its backlog.
    const client = httpPoster(16);
    const inLane = async () => (await sendQueue.count()) + (await lanes.backlogLength('bench'));
    try {
      await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
      const post = async (path: string, body: string | Buffer) => {
        const res = await client.post(api.url + path, { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body);
        return { status: res.status, json: JSON.parse(res.body) as { results?: { status?: string; error?: unknown }[] } };
      };

      // Warm-up: a few batches, so the first requests' JIT and connections are not in the figure (a server runs warm).
      for (let w = 0; w < 3; w++) {
        const items = Array.from({ length: size }, (_, j) => ({ idempotencyKey: `warm-${w}-${j}`, ...invoice(`warm${w}`, j) }));
        const warm = await post('/v1/tenants/bench/emails/batch', JSON.stringify({ items }));
        if (warm.status !== 207) throw new Error(`warm-up answered ${warm.status}: ${JSON.stringify(warm.json).slice(0, 300)}`);
      }

      // Baseline: the queue alone, the same number of jobs in bulks of the same size.
      const bulks = Array.from({ length: Math.ceil(N / size) }, (_, b) => b);
      const baselineMs = await timedMs(() =>
        inPool(bulks, inFlight(), (b) =>
          rawQueue.addBulk(
            Array.from({ length: Math.min(size, N - b * size) }, (_, j) => {
              const id = `raw-${b * size + j}`;
              return { name: 'send', data: { tenantId: 'bench', emailId: id }, opts: { jobId: id } };
            }),
          ),
        ),
      );

      // Mailroom: the bodies are serialized and encoded before the clock starts (the client's cost is not
      // the API's: encoding a 4 MB body as UTF-8 took the client 3.5 ms of CPU per request).
      const bodies = bulks.map((b) =>
        Buffer.from(
          JSON.stringify({
            items: Array.from({ length: Math.min(size, N - b * size) }, (_, j) => ({
              idempotencyKey: `b-${b * size + j}`,
              ...invoice('b', b * size + j),
            })),
          }),
        ),
      );
      const laneBefore = await inLane();
      const cpuBefore = cpuMs(api.child.pid!);
      const oursMs = await timedMs(() =>
        inPool(bodies, inFlight(), async (body) => {
          const r = await post('/v1/tenants/bench/emails/batch', body);
          const bad = r.json.results?.find((x) => x.status !== 'queued');
          if (r.status !== 207 || bad) throw new Error(`batch answered ${r.status}: ${JSON.stringify(bad ?? r.json).slice(0, 300)}`);
        }),
      );
      const apiCpuMsPerEmail = (cpuMs(api.child.pid!) - cpuBefore) / N;
      const queued = (await inLane()) - laneBefore;
      if (queued !== N) throw new Error(`${N} emails answered queued but ${queued} are in the tenant's lane (jobs and backlog)`);

      // For the note: the single enqueue path, the same invoices one per request.
      const S = singles();
      const singleBodies = Array.from({ length: S }, (_, i) => Buffer.from(JSON.stringify(invoice('s', i))));
      const singleMs = await timedMs(() =>
        inPool(singleBodies, 16, async (body) => {
          const r = await post('/v1/tenants/bench/emails', body);
          if (r.status !== 202) throw new Error(`single enqueue answered ${r.status}`);
        }),
      );

      const mailroom = (N / oursMs) * 1000;
      const baseline = (N / baselineMs) * 1000;
      const single = S > 0 ? `; the single enqueue path: ${Math.round((S / singleMs) * 1000)} emails/s (${S}, 16 connections)` : '';
      return [
        {
          name: `Batch enqueue, ${N} invoices with a 30 KB PDF, ${size} per request`,
          mailroom,
          baseline,
          unit: 'emails/s',
          ratio: ratio(mailroom, baseline),
          target: { on: 'mailroom', op: '>=', value: 2000 },
          baselineIs: `raw BullMQ addBulk of ${size} jobs`,
          note: `${inFlight()} requests in flight, API in its own process: ${(apiCpuMsPerEmail * 1000).toFixed(0)} µs of its CPU per email (${Math.round(1000 / apiCpuMsPerEmail)} emails per CPU-second)${single}`,
        },
      ];
    } finally {
      client.close();
      await rawQueue.obliterate({ force: true }).catch(() => undefined);
      await Promise.all([rawQueue.close(), sendQueue.close()]);
      redis.disconnect();
      await api.stop();
      await m.stop();
    }
  },
};

/** User + system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The apps log at info as in production (their cost is in the figure), into nothing. */
function devNull(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
