import { Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';

/** How long a scrape waits for a backend (Redis, the store) before it answers without those values. */
export const DEFAULT_COLLECT_TIMEOUT_MS = 2000;

export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

export interface CollectedGaugeOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Reads the current values; called on every scrape. Label values must be few and fixed: never a tenant id, email id or address. */
  read: () => Promise<GaugeSample<L>[]>;
  /** Longest a scrape waits for `read` (default DEFAULT_COLLECT_TIMEOUT_MS); past it the gauge has no samples this time. */
  timeoutMs?: number;
  logger?: Logger;
}

/** `work`, or a rejection after `ms`; the late result of `work` is dropped (and its failure swallowed). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Several gauges filled from one read: the gauges of a registry are collected concurrently on a
 * scrape, so they share the read in flight instead of asking the backend once each.
 */
export function onePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    if (!inFlight) {
      const current = read();
      inFlight = current;
      const clear = () => {
        if (inFlight === current) inFlight = undefined;
      };
      current.then(clear, clear);
    }
    return inFlight;
  };
}

/**
 * The place for any gauge whose values live elsewhere (Redis, the store) and are read when Prometheus
 * scrapes, bounded so that a slow backend never hangs /metrics: past `timeoutMs` (or on an error) the
 * gauge shows no samples for that scrape and the reason is logged. Prometheus then sees the series go
 * stale rather than a made-up value.
 *
 * Later gauges go here: the callback queue of issue 10 needs nothing new (pass it to watchQueues with
 * the send queue); per-tenant backlog totals must be aggregated before they become samples (how many
 * tenants have a backlog, the largest backlog) because a tenant id is never a label value.
 */
export function registerCollectedGauge<L extends string>(registry: Registry, options: CollectedGaugeOptions<L>): Gauge<L> {
  const { read, logger } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS;
  return new Gauge<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      let samples: GaugeSample<L>[] = [];
      try {
        samples = await within(read(), timeoutMs, options.name);
      } catch (e) {
        logger?.warn({ err: (e as Error).message, metric: options.name }, 'gauge not collected for this scrape');
      }
      for (const s of samples) this.set(s.labels, s.value);
    },
  });
}
