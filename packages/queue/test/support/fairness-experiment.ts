import { addSendJobs } from '../../src/lanes/tenant-lanes';
import { uniquePrefix } from './redis-test-prefix';
import { jobOptionsFor, startSendWorkers } from './send-workers';
import type { TenantSmtp } from './tenant-smtp';

export type Scheduling = 'fifo' | 'lanes';

export interface FairnessOptions {
  scheduling: Scheduling;
  /** Tenant A's burst, enqueued at once. */
  burst: number;
  /** Single emails from other tenants (B1, B2, ...), one every `trialGapMs` once A's burst is in. */
  trials: number;
  trialGapMs: number;
  /** Per worker, as WORKER_CONCURRENCY. */
  concurrency: number;
  /** K = TENANT_MAX_IN_FLIGHT (lanes only). */
  maxInFlight: number;
  workers?: number;
  /** Worker slots follow the lanes (as the worker app); false opens them all (to measure what that costs). */
  followLanes?: boolean;
  smtp: TenantSmtp;
  timeoutMs?: number;
}

export interface FairnessRun {
  scheduling: Scheduling;
  /** Each trial's enqueue-to-accepted (the SMTP server's 250), in ms, in trial order. */
  latenciesMs: number[];
  /** From A's first enqueue to A's last email accepted. */
  drainMs: number;
  /** A's emails accepted per second over `drainMs`. */
  throughput: number;
  /**
   * This process's CPU time (worker, SMTP client and the SMTP server alike) per email of A's burst:
   * steadier than throughput on a shared machine, as other processes' load does not enter it.
   */
  cpuUsPerEmail: number;
  /** Time to enqueue A's burst (addBulk, or admit + addBulk of the admitted). */
  enqueueMs: number;
}

const CHUNK = 500;

/**
 * One run of the month-end scene against real Redis, real BullMQ workers and a real SMTP server:
 * tenant A enqueues a burst, then other tenants each enqueue one invoice while A's burst drains.
 * The same code path for both schedulings; only the enqueue and the release differ.
 */
export async function runFairness(o: FairnessOptions): Promise<FairnessRun> {
  const lanesOn = o.scheduling === 'lanes';
  const sw = await startSendWorkers(uniquePrefix(`fair-${o.scheduling}`), {
    maxInFlight: lanesOn ? o.maxInFlight : undefined,
    followLanes: o.followLanes,
  });
  const acceptedAt = new Map<string, number>();
  let acceptedA = 0;
  let lastA = 0;
  try {
    for (let w = 0; w < (o.workers ?? 1); w++) {
      await sw.addWorker(async (job) => {
        await o.smtp.send(job.data);
        const now = Date.now();
        acceptedAt.set(job.data.emailId, now);
        if (job.data.tenantId === 'A') {
          acceptedA += 1;
          lastA = now;
        }
      }, o.concurrency);
    }
    const enqueue = (tenantId: string, ids: string[]) =>
      lanesOn ? sw.lanes!.admitAndEnqueue(sw.queue, tenantId, ids, jobOptionsFor) : addSendJobs(sw.queue, tenantId, ids, jobOptionsFor);

    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const burst = Array.from({ length: o.burst }, (_, i) => `em_A_${i}`);
    for (let i = 0; i < burst.length; i += CHUNK) await enqueue('A', burst.slice(i, i + CHUNK));
    const enqueueMs = Date.now() - started;

    const enqueuedAt = new Map<string, number>();
    for (let t = 0; t < o.trials; t++) {
      const id = `em_B${t}_0`;
      enqueuedAt.set(id, Date.now());
      await enqueue(`B${t}`, [id]);
      await new Promise((r) => setTimeout(r, o.trialGapMs));
    }

    const deadline = Date.now() + (o.timeoutMs ?? 600_000);
    while (acceptedA < o.burst || [...enqueuedAt.keys()].some((id) => !acceptedAt.has(id))) {
      if (Date.now() > deadline)
        throw new Error(
          `${o.scheduling}: ${acceptedA}/${o.burst} of A and ${[...enqueuedAt.keys()].filter((id) => acceptedAt.has(id)).length}/${o.trials} trials accepted in time`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    const drainMs = lastA - started;
    const cpu = process.cpuUsage(cpu0);
    return {
      scheduling: o.scheduling,
      latenciesMs: [...enqueuedAt].map(([id, at]) => acceptedAt.get(id)! - at),
      drainMs,
      throughput: (o.burst / drainMs) * 1000,
      cpuUsPerEmail: (cpu.user + cpu.system) / o.burst,
      enqueueMs,
    };
  } finally {
    await sw.close();
  }
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
