import type { Store } from '@mailroom/store';
import type { Cluster, Redis } from 'ioredis';
import { DeadlineExceededError, withinMs } from './within-ms';

/** One backend the app needs in order to serve: resolves when it answers, throws (or hangs) when not. */
export type ReadinessCheck = () => Promise<void>;

/** Each check must answer within this (the design: "store and Redis answer within a second"). */
export const READINESS_BUDGET_MS = 1000;

export interface ReadinessReport {
  /** Every check the app cannot serve without answered. */
  ok: boolean;
  /** Check name -> "ok", "timeout after 1000 ms", or "failed: <what the backend said>". */
  checks: Record<string, string>;
  /** The checks that failed but that the app serves without, for part of its work (decision 0058). */
  degraded: string[];
}

/**
 * Runs every check at once, each within the budget; never throws. A check named in `servesWithout`
 * that fails leaves the app ready, and is listed in `degraded`.
 */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  budgetMs = READINESS_BUDGET_MS,
  servesWithout: readonly string[] = [],
): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(
    names.map(async (name) => {
      try {
        await withinMs(checks[name](), budgetMs, name);
        return 'ok';
      } catch (e) {
        if (e instanceof DeadlineExceededError) return `timeout after ${e.ms} ms`;
        return `failed: ${(e as Error)?.message ?? String(e)}`;
      }
    }),
  );
  const report = Object.fromEntries(names.map((name, i) => [name, outcomes[i]]));
  const failed = names.filter((_, i) => outcomes[i] !== 'ok');
  return {
    ok: failed.every((name) => servesWithout.includes(name)),
    checks: report,
    degraded: failed.filter((name) => servesWithout.includes(name)),
  };
}

/**
 * Redis answers PING. A connection that is not up says so at once instead of queueing the PING
 * until Redis is back (the worker's connection does queue: BullMQ needs it to).
 */
export function redisCheck(redis: Redis | Cluster): ReadinessCheck {
  return async () => {
    if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${String(pong)}`);
  };
}

/** The store answers a read: a tenant id that cannot exist (ids are [A-Za-z0-9_-]) costs one index lookup. */
export function storeCheck(store: Store): ReadinessCheck {
  return async () => {
    await store.tenants.get('~readyz');
  };
}
