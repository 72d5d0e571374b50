/**
 * Where the tenant lanes live in Redis. Every key starts with the queue prefix the apps give BullMQ
 * (QUEUE_PREFIX), so on a Redis Cluster a hash-tagged prefix such as `{mailroom}` puts the lanes, the
 * limits and BullMQ's own keys in one slot: the Lua scripts touch several of them at once, and the
 * sweep builds tenant keys inside a script, which a Cluster only allows within one slot.
 * The `tenant-lanes` segment cannot collide with a BullMQ queue's keys (`<prefix>:<queue>:...`)
 * unless somebody names a queue `tenant-lanes`. Whether a prefix is hash-tagged is checked once, when
 * the config is parsed (`isHashTagged` in @mailroom/config).
 */
export interface LaneKeys {
  /** Set of tenant ids that have anything admitted or waiting: what the sweep and the stats walk. */
  tenants: string;
  /** Sorted set: email ids admitted into BullMQ, scored by the time they were admitted (ms). */
  admitted: string;
  /** List: email ids waiting for a slot, oldest first. */
  backlog: string;
  /** Set: the same ids as `backlog`, for O(1) "is it already waiting?". */
  backlogged: string;
  /** Sorted set of every tenant with a backlog, scored by its length: GET /ops/tenant-backlogs reads it. */
  backlogs: string;
}

export function laneRoot(prefix: string): string {
  return `${prefix}:tenant-lanes`;
}

export function laneTenantsKey(prefix: string): string {
  return `${laneRoot(prefix)}:tenants`;
}

export function laneBacklogsKey(prefix: string): string {
  return `${laneRoot(prefix)}:backlogs`;
}

export function laneKeys(prefix: string, tenantId: string): LaneKeys {
  const root = laneRoot(prefix);
  return {
    tenants: laneTenantsKey(prefix),
    admitted: `${root}:t:${tenantId}:admitted`,
    backlog: `${root}:t:${tenantId}:backlog`,
    backlogged: `${root}:t:${tenantId}:backlogged`,
    backlogs: laneBacklogsKey(prefix),
  };
}
