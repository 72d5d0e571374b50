import type { Worker } from 'bullmq';

/** What the follower needs of TenantLanes and of a worker (narrow, so a test can drive it). */
export interface BusyTenantCounter {
  readonly maxInFlight: number;
  busyTenantCount(): Promise<number>;
}
export type ConcurrencyTarget = Pick<Worker, 'concurrency'>;

/**
 * BullMQ 6's worker loop, while every slot is busy, awaits its next finished job and only then looks
 * at `concurrency` again. Adding an empty result to the loop's queue makes it look now, so slots that
 * grow are used at once, even when every running send is slow. Private to BullMQ: the test
 * 'takes another tenant's job at once while K slow sends hold the slots' fails if it goes away.
 */
interface WorkerLoop {
  mainLoopQueue?: { add(p: Promise<undefined>): void } | null;
}

function setConcurrency(worker: ConcurrencyTarget, next: number): void {
  const grows = next > worker.concurrency;
  worker.concurrency = next;
  if (grows) (worker as unknown as WorkerLoop).mainLoopQueue?.add(Promise.resolve(undefined));
}

export interface LaneConcurrencyOptions {
  /** WORKER_CONCURRENCY: never more slots than this. */
  configured: number;
  /** How often to read the number of busy tenants (one SCARD). */
  everyMs: number;
  onError?: (err: unknown) => void;
}

/**
 * The slots a worker may use: no more than the tenant lanes can ever fill. At most K jobs of each busy
 * tenant are in BullMQ, so K x busy tenants slots are enough to run every admitted job at once; at
 * least K, so a tenant that turns up runs at once.
 */
export function laneConcurrency(configured: number, maxInFlight: number, busyTenants: number): number {
  return Math.max(1, Math.min(configured, maxInFlight * Math.max(1, busyTenants)));
}

/**
 * Keeps `worker.concurrency` at `laneConcurrency(...)`, read every `everyMs`.
 *
 * Why (docs/decisions/0026, "Idle slots"): a BullMQ worker hands the next job over inside the
 * finished job's own `moveToFinished`, but a slot with nothing to run blocks on the queue's marker
 * and wakes for every job added, then asks for it in a second round trip (often empty, as a busy
 * slot got it first). With one tenant bursting and K = half the slots, that was 3 extra Redis
 * commands and about 25 % more CPU per email. A slot the lanes can never fill is not opened.
 *
 * A new tenant's job waits in BullMQ's wait list behind at most the busy tenants' K jobs, and is taken
 * by the next slot that frees, or at the next read (within `everyMs`), when the slots grow, whichever
 * comes first: a tenant whose K sends hang does not hold the others up. Several workers each follow the same count, so together they may
 * open more slots than the lanes fill (as before), never fewer.
 */
export function followLaneConcurrency(worker: ConcurrencyTarget, lanes: BusyTenantCounter, o: LaneConcurrencyOptions): () => void {
  let stopped = false;
  let reading = false;
  const apply = (busy: number) => {
    const next = laneConcurrency(o.configured, lanes.maxInFlight, busy);
    if (!stopped && worker.concurrency !== next) setConcurrency(worker, next);
  };
  const read = async () => {
    if (reading || stopped) return;
    reading = true;
    try {
      apply(await lanes.busyTenantCount());
    } catch (err) {
      // Redis away: open every slot rather than guess low; the next read narrows them again.
      if (!stopped) setConcurrency(worker, o.configured);
      o.onError?.(err);
    } finally {
      reading = false;
    }
  };
  void read();
  const timer = setInterval(() => void read(), o.everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
