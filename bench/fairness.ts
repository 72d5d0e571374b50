/**
 * Fairness under a month-end burst (issue 8): tenant A enqueues BENCH_FAIR_BURST emails at once, then
 * BENCH_FAIR_TRIALS other tenants each enqueue one invoice while A's burst drains. Each invoice's
 * enqueue-to-accepted (the SMTP server's 250) is measured with plain FIFO and with tenant lanes, in
 * one run against the same real Redis, BullMQ workers and SMTP server (STARTTLS + AUTH); A's
 * throughput and Redis commands per email are measured in the same runs, and once more with lanes
 * as wide as the worker (K = concurrency) to tell the cost of the mechanism from the cost of the cap.
 * Then the admission overhead per email, alone. BENCH_FAIR_ROUNDS (default 3) repeats the three runs
 * interleaved and reports medians (shared machines drift).
 *
 *   NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem npx tsx bench/fairness.ts
 *
 * `fairnessBench()` is what bench/run.ts calls for its fairness row.
 */
import { loadConfig } from '@mailroom/config';
import { createRedisConnection, createSendQueue, sendJobOptions, TenantLanes } from '@mailroom/queue';
import { FairnessRun, quantile, runFairness, Scheduling } from '../packages/queue/test/support/fairness-experiment';
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from '../packages/queue/test/support/redis-test-prefix';
import { startTenantSmtp, TenantSmtp } from '../packages/queue/test/support/tenant-smtp';
import { countRedisCommands } from './redis-command-counter';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export interface FairnessBenchOptions {
  burst: number;
  trials: number;
  trialGapMs: number;
  concurrency: number;
  maxInFlight: number;
  workers: number;
  rounds: number;
}

interface Measured {
  run: FairnessRun;
  commandsPerEmail: number;
}

export interface FairnessBenchResult {
  options: FairnessBenchOptions;
  /** Other tenants' single invoice, enqueue to accepted, ms. */
  fifo: { p50: number; p99: number };
  fair: { p50: number; p99: number };
  /** Tenant A's emails accepted per second while draining its burst. */
  throughputFifo: number;
  throughputFair: number;
  /** With lanes as wide as the worker (K = concurrency): the mechanism without the cap. */
  throughputFairUncapped: number;
  /** Redis commands this process sent per email of A's burst (every client, BullMQ's included). */
  commandsPerEmail: { fifo: number; fair: number; fairUncapped: number };
  /** Process CPU per email of A's burst, µs (worker, SMTP client and server: all in this process). */
  cpuUsPerEmail: { fifo: number; fair: number; fairUncapped: number };
  /** Enqueueing A's burst: addBulk alone vs admit + addBulk of the admitted, ms. */
  burstEnqueueMs: { fifo: number; fair: number };
  /** Per email, alone: admit + add vs add; release + add of the next vs nothing (FIFO has no release), ms. */
  admissionOverheadMs: { addMs: number; admitAndAddMs: number; releaseAndPromoteMs: number };
}

/**
 * The worker's slots and a tenant's lane width default to what the worker ships with
 * (WORKER_CONCURRENCY and TENANT_MAX_IN_FLIGHT unset), so the row measures the defaults an operator
 * runs; it measured 10 slots and K = 5 after decision 0071 had made the defaults 20 and 10.
 */
export function fairnessOptionsFromEnv(): FairnessBenchOptions {
  const concurrency = int('BENCH_FAIR_CONCURRENCY', loadConfig({}).send.concurrency);
  // The worker's own rule for K at that many slots (load-config.ts), not a copy of it.
  const defaultWidth = loadConfig({ WORKER_CONCURRENCY: String(concurrency) }).send.tenantMaxInFlight;
  return {
    burst: int('BENCH_FAIR_BURST', 10_000),
    trials: int('BENCH_FAIR_TRIALS', 40),
    trialGapMs: int('BENCH_FAIR_TRIAL_GAP_MS', 100),
    concurrency,
    maxInFlight: int('BENCH_FAIR_MAX_IN_FLIGHT', defaultWidth),
    workers: int('BENCH_FAIR_WORKERS', 1),
    rounds: int('BENCH_FAIR_ROUNDS', 3),
  };
}

export async function fairnessBench(options = fairnessOptionsFromEnv()): Promise<FairnessBenchResult> {
  const smtp = await startTenantSmtp();
  try {
    // Warm-up (JIT, TLS contexts, Redis scripts), not measured: the first run would pay it alone.
    const warmUp = { ...options, burst: Math.min(1000, options.burst), trials: 1 };
    for (const scheduling of ['fifo', 'lanes'] as const) await measure(smtp, warmUp, scheduling, options.maxInFlight);
    const runs: Record<'fifo' | 'fair' | 'fairUncapped', Measured[]> = { fifo: [], fair: [], fairUncapped: [] };
    for (let round = 0; round < options.rounds; round++) {
      runs.fifo.push(await measure(smtp, options, 'fifo', options.maxInFlight));
      runs.fair.push(await measure(smtp, options, 'lanes', options.maxInFlight));
      runs.fairUncapped.push(await measure(smtp, options, 'lanes', options.concurrency * options.workers));
    }
    const med = (xs: number[]) => quantile(xs, 0.5);
    const latencies = (ms: Measured[]) => {
      const all = ms.flatMap((m) => m.run.latenciesMs);
      return { p50: quantile(all, 0.5), p99: quantile(all, 0.99) };
    };
    const of = (f: (m: Measured) => number) => ({
      fifo: med(runs.fifo.map(f)),
      fair: med(runs.fair.map(f)),
      fairUncapped: med(runs.fairUncapped.map(f)),
    });
    const throughput = of((m) => m.run.throughput);
    return {
      options,
      fifo: latencies(runs.fifo),
      fair: latencies(runs.fair),
      throughputFifo: throughput.fifo,
      throughputFair: throughput.fair,
      throughputFairUncapped: throughput.fairUncapped,
      commandsPerEmail: of((m) => m.commandsPerEmail),
      cpuUsPerEmail: of((m) => m.run.cpuUsPerEmail),
      burstEnqueueMs: { fifo: med(runs.fifo.map((m) => m.run.enqueueMs)), fair: med(runs.fair.map((m) => m.run.enqueueMs)) },
      admissionOverheadMs: await admissionOverhead(options.maxInFlight),
    };
  } finally {
    await smtp.close();
  }
}

async function measure(smtp: TenantSmtp, o: FairnessBenchOptions, scheduling: Scheduling, maxInFlight: number): Promise<Measured> {
  smtp.sink.clear();
  const { result: run, commands } = await countRedisCommands(() =>
    runFairness({ ...o, maxInFlight, scheduling, smtp, timeoutMs: 15 * 60_000 }),
  );
  smtp.sink.clear();
  return { run, commandsPerEmail: commands / (o.burst + o.trials) };
}

/** Sequential round trips, so the figures are latency per email, not pipelined throughput. */
async function admissionOverhead(maxInFlight: number, n = 2000): Promise<FairnessBenchResult['admissionOverheadMs']> {
  const redis = createRedisConnection(TEST_REDIS_URL);
  await redis.connect();
  const prefix = uniquePrefix('fair-overhead');
  const queue = createSendQueue(redis, prefix);
  const lanes = new TenantLanes(redis, { prefix, maxInFlight });
  const opts = (id: string) => sendJobOptions(id, { attempts: 3, retryBaseMs: 1000 });
  const perEmail = async (fn: (i: number) => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn(i);
    return Number(process.hrtime.bigint() - t) / 1e6 / n;
  };
  try {
    const addMs = await perEmail((i) => queue.add('send', { tenantId: 'X', emailId: `x${i}` }, opts(`x${i}`)));
    // tenant T: every admission lands in a free slot until K, then in the backlog (both paths measured)
    const admitAndAddMs = await perEmail((i) => lanes.admitAndEnqueue(queue, 'T', [`t${i}`], opts));
    const releaseAndPromoteMs = await perEmail((i) => lanes.releaseAndPromote(queue, 'T', `t${i}`, opts));
    return { addMs, admitAndAddMs, releaseAndPromoteMs };
  } finally {
    await queue.close();
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  }
}

function print(r: FairnessBenchResult): void {
  const o = r.options;
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  const c = r.commandsPerEmail;
  const cpu = r.cpuUsPerEmail;
  console.log(`\nFairness: A's burst of ${o.burst}, ${o.trials} single invoices from other tenants every ${o.trialGapMs} ms;`);
  console.log(
    `${o.workers} worker(s) x concurrency ${o.concurrency}, TENANT_MAX_IN_FLIGHT ${o.maxInFlight}; real SMTP server (STARTTLS + AUTH); ${o.rounds} round(s), medians.\n`,
  );
  console.log(
    `single invoice, enqueue -> accepted   FIFO p50 ${ms(r.fifo.p50)}  p99 ${ms(r.fifo.p99)}   lanes p50 ${ms(r.fair.p50)}  p99 ${ms(r.fair.p99)}`,
  );
  console.log(
    `A's throughput (msg/s)                FIFO ${r.throughputFifo.toFixed(0)}   lanes ${r.throughputFair.toFixed(0)} (x${(r.throughputFair / r.throughputFifo).toFixed(2)})   lanes K=${o.concurrency * o.workers} ${r.throughputFairUncapped.toFixed(0)} (x${(r.throughputFairUncapped / r.throughputFifo).toFixed(2)})`,
  );
  console.log(
    `Redis commands per email              FIFO ${c.fifo.toFixed(2)}   lanes ${c.fair.toFixed(2)}   lanes K=${o.concurrency * o.workers} ${c.fairUncapped.toFixed(2)}`,
  );
  console.log(
    `process CPU per email (µs)            FIFO ${cpu.fifo.toFixed(0)}   lanes ${cpu.fair.toFixed(0)}   lanes K=${o.concurrency * o.workers} ${cpu.fairUncapped.toFixed(0)}`,
  );
  console.log(`enqueue A's burst                     FIFO ${ms(r.burstEnqueueMs.fifo)}   lanes ${ms(r.burstEnqueueMs.fair)}`);
  const a = r.admissionOverheadMs;
  console.log(
    `per email, sequential                 queue.add ${ms(a.addMs)}   admit+add ${ms(a.admitAndAddMs)}   release+promote+add ${ms(a.releaseAndPromoteMs)}`,
  );
}

if (require.main === module) {
  fairnessBench().then(
    (r) => {
      print(r);
      console.log(`\n${JSON.stringify(r)}`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
