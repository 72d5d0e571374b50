import type { Cluster, Redis } from 'ioredis';
import { TAKE_LUA } from './rate-limit.lua';
import { LimitWindow, LimitWindowName, SendingLimits, windowsOf } from './sending-limits';

export type TakeResult = { ok: true } | { ok: false; retryAtMs: number; window: LimitWindowName };

/**
 * Sub-windows per window: the count is exact to 1/60 of the window (1 s of a minute, 1 min of an
 * hour, 24 min of a day), and a window's hash stays at most 61 small fields, which Redis keeps in
 * its compact encoding (hash-max-listpack-entries is 128) whatever the limit.
 */
export const BUCKETS_PER_WINDOW = 60;

interface LimiterCommands {
  mailroomTakeSends(...keysAndArgs: (string | number)[]): Promise<[number, number, number]>;
}

/**
 * The tenants' own sending limits, counted in Redis so every worker shares them: a sliding window
 * per limit (sends in any last minute / hour / day), counted in sub-window buckets. Never lets more
 * than the limit through in any window; may defer a send by up to one bucket more than strictly
 * needed. See docs/decisions/0026-fair-scheduling.md for why not fixed windows, a log or GCRA.
 */
export class TenantRateLimiter {
  private readonly redis: (Redis | Cluster) & LimiterCommands;

  constructor(
    redis: Redis | Cluster,
    private readonly options: { prefix: string },
  ) {
    redis.defineCommand('mailroomTakeSends', { lua: TAKE_LUA });
    this.redis = redis as (Redis | Cluster) & LimiterCommands;
  }

  /** Takes `cost` sends (default one email) from every window of `limits`, or refuses with the time all have room. */
  tryTake(tenantId: string, limits: SendingLimits | undefined, now = Date.now(), cost = 1): Promise<TakeResult> {
    return this.tryTakeWindows(tenantId, windowsOf(limits), now, cost);
  }

  async tryTakeWindows(tenantId: string, windows: LimitWindow[], now = Date.now(), cost = 1): Promise<TakeResult> {
    if (windows.length === 0) return { ok: true };
    if (!Number.isInteger(cost) || cost < 1) throw new RangeError(`cost must be a positive integer, got ${cost}`);
    const args = windows.flatMap((w) => [w.windowMs, w.limit, bucketMsOf(w)]);
    const [ok, retryAtMs, blockedBy] = await this.redis.mailroomTakeSends(
      windows.length,
      ...windows.map((w) => this.key(tenantId, w)),
      Math.floor(now),
      cost,
      ...args,
    );
    return ok === 1 ? { ok: true } : { ok: false, retryAtMs, window: windows[blockedBy - 1].name };
  }

  /** Sends counted in each window at `now` (for the dashboard and tests); reads only. */
  async usage(tenantId: string, windows: LimitWindow[], now = Date.now()): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const w of windows) {
      const firstLive = Math.floor((now - w.windowMs) / bucketMsOf(w));
      const buckets = await this.redis.hgetall(this.key(tenantId, w));
      out[w.name] = Object.entries(buckets).reduce((n, [bucket, count]) => (Number(bucket) >= firstLive ? n + Number(count) : n), 0);
    }
    return out;
  }

  private key(tenantId: string, w: LimitWindow): string {
    return `${this.options.prefix}:tenant-limits:${tenantId}:${w.name}`;
  }
}

function bucketMsOf(w: LimitWindow): number {
  return Math.max(1, Math.floor(w.windowMs / BUCKETS_PER_WINDOW));
}
