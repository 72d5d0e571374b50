import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { DEFAULT_COLLECT_TIMEOUT_MS, onePerScrape, registerCollectedGauge, within } from './collected-gauge';

/**
 * The job states counted per queue. BullMQ 5 adds `paused` to any count that asks for `waiting`, and
 * whatever it answers is reported, so a version without that state needs no change here.
 */
export const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** What is read from a job to date its wait. */
export interface WaitingJob {
  timestamp: number;
  processedOn?: number;
  opts: { delay?: number };
  /** A callback job promoted from its park says when: `releasedAt` (packages/callbacks, `release`). */
  data?: unknown;
}

/** The part of a BullMQ Queue the gauges read (any queue: send today, the callback queue later). */
export interface WatchedQueue {
  readonly name: string;
  getJobCounts(...types: QueueState[]): Promise<Record<string, number>>;
  getJobs(types: QueueState[], start?: number, end?: number, asc?: boolean): Promise<WaitingJob[]>;
}

type QueueSnapshot =
  { queue: string; ok: true; counts: Record<string, number>; oldestWaitingSeconds: number } | { queue: string; ok: false };

/**
 * Since when a job has been ready to run: added (plus its initial delay), or, for a job that already
 * ran once and came back (a retry after its backoff), when that attempt started. For such a job this
 * is an upper bound of its wait, since the backoff is counted in. A callback job is added parked
 * (delay: 10 min) and promoted when its turn comes, usually at once: BullMQ keeps the delay option
 * but not the promotion's time, so the callbacks note it (`releasedAt`) and it replaces add + delay.
 */
export function waitingSince(job: WaitingJob): number {
  const releasedAt = (job.data as { releasedAt?: unknown } | null | undefined)?.releasedAt;
  const due = typeof releasedAt === 'number' ? releasedAt : job.timestamp + (job.opts?.delay ?? 0);
  return Math.max(due, job.processedOn ?? 0);
}

/**
 * One warning when a queue stops being readable and one line when it is back, not one per scrape: at a
 * 15 s scrape interval a Redis outage would otherwise write a warning every 15 s for each queue.
 */
function readabilityLog(logger?: Logger): (queue: string, err?: Error) => void {
  const unreadable = new Set<string>();
  return (queue, err) => {
    if (err && !unreadable.has(queue)) {
      unreadable.add(queue);
      logger?.warn({ err: err.message, queue }, 'queue not readable: its gauges are left out until it is');
    } else if (err) logger?.debug({ err: err.message, queue }, 'queue still not readable');
    else if (unreadable.delete(queue)) logger?.info({ queue }, 'queue readable again');
  };
}

async function readQueue(
  q: WatchedQueue,
  timeoutMs: number,
  now: () => number,
  noteReadable: ReturnType<typeof readabilityLog>,
): Promise<QueueSnapshot> {
  try {
    // The next job to run of each ready list: the tail of `wait` (FIFO), the lowest score of `prioritized`.
    const [counts, heads] = await within(
      Promise.all([q.getJobCounts(...QUEUE_STATES), q.getJobs(['waiting', 'prioritized'], 0, 0, true)]),
      timeoutMs,
      `queue ${q.name}`,
    );
    const oldest = heads.length ? Math.min(...heads.map(waitingSince)) : undefined;
    noteReadable(q.name);
    return { queue: q.name, ok: true, counts, oldestWaitingSeconds: oldest === undefined ? 0 : Math.max(0, now() - oldest) / 1000 };
  } catch (e) {
    noteReadable(q.name, e as Error);
    return { queue: q.name, ok: false };
  }
}

/**
 * Queue depth by state, the age of the oldest waiting job, and whether the queue could be read, for
 * every queue given, read from Redis when Prometheus scrapes (one read per queue per scrape, each
 * bounded by `timeoutMs`). Every app that holds a queue reports it, so queries take `max by (queue, state)`.
 */
export function watchQueues(
  registry: Registry,
  queues: WatchedQueue[],
  options: { timeoutMs?: number; now?: () => number; logger?: Logger } = {},
): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const noteReadable = readabilityLog(options.logger);
  const snapshot = onePerScrape(() => Promise.all(queues.map((q) => readQueue(q, timeoutMs, now, noteReadable))));
  // Each queue read is bounded by timeoutMs already; the gauges' own bound is only a backstop.
  const backstopMs = timeoutMs + 1000;
  registerCollectedGauge(registry, {
    name: 'mailroom_queue_jobs',
    help: 'Jobs in each queue by state (waiting, prioritized, active, delayed, failed, completed; paused on BullMQ 5), read from Redis on scrape.',
    labelNames: ['queue', 'state'],
    timeoutMs: backstopMs,
    read: async () =>
      (await snapshot()).flatMap((s) =>
        s.ok ? Object.entries(s.counts).map(([state, value]) => ({ labels: { queue: s.queue, state }, value })) : [],
      ),
  });
  registerCollectedGauge(registry, {
    name: 'mailroom_queue_oldest_waiting_seconds',
    help: 'Age of the next job to run of each queue (0 when none waits); for a retried job, counted from its last attempt.',
    labelNames: ['queue'],
    timeoutMs: backstopMs,
    read: async () => (await snapshot()).flatMap((s) => (s.ok ? [{ labels: { queue: s.queue }, value: s.oldestWaitingSeconds }] : [])),
  });
  registerCollectedGauge(registry, {
    name: 'mailroom_queue_reachable',
    help: `1 when the queue's Redis answered this scrape within ${timeoutMs} ms, 0 when it did not (the other queue gauges are then absent).`,
    labelNames: ['queue'],
    timeoutMs: backstopMs,
    read: async () => (await snapshot()).map((s) => ({ labels: { queue: s.queue }, value: s.ok ? 1 : 0 })),
  });
}
