import type { JobsOptions, Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { SendJobData } from '../send-queue';
import { LaneKeys, laneBacklogsKey, laneKeys, laneRoot, laneTenantsKey } from './lane-keys';
import {
  ADMIT_AND_ADD_LUA,
  ADMIT_LUA,
  BACKLOGS_LUA,
  RELEASE_AND_ADD_LUA,
  RELEASE_LUA,
  REMOVE_FROM_BACKLOG_LUA,
  STATS_LUA,
} from './lanes.lua';
import { SendJobTemplate, sendJobTemplate } from './send-job-lua';

/** The options of one email's send job (`sendJobOptions(id, policy)` in the apps). */
export type JobOptionsFor = (emailId: string) => JobsOptions;

export interface Admission {
  /** Ids whose job must exist in BullMQ now (just admitted, promoted from the backlog, or admitted before). */
  admitted: string[];
  /** Ids waiting in the tenant's backlog; they are added when a slot frees (`releaseAndPromote`). */
  backlogged: string[];
}

export interface LaneStats {
  /** Tenants with anything admitted or waiting. */
  tenants: number;
  /** Ids holding a slot (their jobs are waiting, active or delayed in BullMQ). */
  admitted: number;
  /** Ids waiting outside BullMQ. */
  backlog: number;
  /** Tenants whose backlog is not empty (their slots are all taken). */
  tenantsWithBacklog: number;
}

/** One tenant's backlog, for the on-call engineer (GET /ops/tenant-backlogs). */
export interface TenantBacklog {
  tenantId: string;
  /** Ids waiting in its lane, outside BullMQ. */
  backlog: number;
  /** Ids holding one of its K slots (their jobs wait, run or sleep in BullMQ). */
  admitted: number;
  /** Of those, jobs sleeping in BullMQ's delayed set: held by its sending limit, or waiting for a retry. */
  delayed: number;
  /** Its oldest waiting id (null if the backlog emptied while it was read): the ids are time-ordered. */
  oldestWaitingId: string | null;
}

/** Where a canceled email was: its slot or backlog place is free again, or it is being sent right now. */
export type CancelOutcome = 'removed-from-backlog' | 'removed-from-queue' | 'in-flight' | 'not-found';

export interface TenantLanesOptions {
  /** The prefix the apps give BullMQ (QUEUE_PREFIX); hash-tagged on a Redis Cluster, e.g. `{mailroom}`. */
  prefix: string;
  /** K = TENANT_MAX_IN_FLIGHT: at most this many of one tenant's jobs are in BullMQ (waiting + active + delayed). */
  maxInFlight: number;
  now?: () => number;
}

interface LaneCommands {
  mailroomLanesAdmit(...keysAndArgs: string[]): Promise<[string[], string[]]>;
  mailroomLanesAdmitAndAdd(...keysAndArgs: string[]): Promise<[string[], string[]]>;
  mailroomLanesRelease(...keysAndArgs: string[]): Promise<string[]>;
  mailroomLanesReleaseAndAdd(...keysAndArgs: string[]): Promise<string[]>;
  mailroomLanesRemoveFromBacklog(...keysAndArgs: string[]): Promise<'backlog' | 'admitted' | 'none'>;
  mailroomLanesStats(...keysAndArgs: string[]): Promise<[number, number, number, number]>;
  mailroomLanesBacklogs(...keysAndArgs: string[]): Promise<[number, [string, number, number, number, string][]]>;
}

const SEND_JOB_NAME = 'send';

/**
 * Tenant lanes with bounded admission: BullMQ stays the execution engine (retries, stalls, the
 * dashboard), but at most K jobs of one tenant are in the send queue at a time; the rest wait in
 * the tenant's own FIFO backlog in Redis. A burst of 10,000 from one tenant therefore puts K jobs in
 * BullMQ's wait list, and another tenant's single email waits behind at most (busy tenants x K) jobs.
 * See docs/decisions/0026-fair-scheduling.md.
 *
 * Calls: the API `admitAndEnqueue`s; the worker releases a slot when a job's work is done or it failed
 * for good (see release-tenant-lane.ts); cancel goes through `cancel`; the sweep runs `reconcileLanes`.
 */
export class TenantLanes {
  readonly maxInFlight: number;
  private readonly redis: (Redis | Cluster) & LaneCommands;
  private readonly prefix: string;
  private readonly now: () => number;
  /** Per queue and options function: the template the release script adds jobs with, or null (BullMQ adds them). */
  private readonly templates = new WeakMap<Queue<SendJobData>, WeakMap<JobOptionsFor, SendJobTemplate | null>>();

  constructor(redis: Redis | Cluster, options: TenantLanesOptions) {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new RangeError(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    this.maxInFlight = options.maxInFlight;
    this.prefix = options.prefix;
    this.now = options.now ?? Date.now;
    redis.defineCommand('mailroomLanesAdmit', { numberOfKeys: 5, lua: ADMIT_LUA });
    redis.defineCommand('mailroomLanesAdmitAndAdd', { numberOfKeys: 11, lua: ADMIT_AND_ADD_LUA });
    redis.defineCommand('mailroomLanesRelease', { numberOfKeys: 5, lua: RELEASE_LUA });
    redis.defineCommand('mailroomLanesReleaseAndAdd', { numberOfKeys: 11, lua: RELEASE_AND_ADD_LUA });
    redis.defineCommand('mailroomLanesRemoveFromBacklog', { numberOfKeys: 5, lua: REMOVE_FROM_BACKLOG_LUA });
    redis.defineCommand('mailroomLanesStats', { numberOfKeys: 1, lua: STATS_LUA });
    redis.defineCommand('mailroomLanesBacklogs', { numberOfKeys: 2, lua: BACKLOGS_LUA });
    this.redis = redis as (Redis | Cluster) & LaneCommands;
  }

  /** Admits what fits under K (backlog first, then `emailIds` in order) and backlogs the rest. Idempotent per id. */
  async admit(tenantId: string, emailIds: string[]): Promise<Admission> {
    const [admitted, backlogged] = await this.redis.mailroomLanesAdmit(
      ...this.keys(tenantId),
      tenantId,
      String(this.maxInFlight),
      String(this.now()),
      ...emailIds,
    );
    return { admitted, backlogged };
  }

  /** The id leaves the lane (admitted or waiting); returns the backlog ids promoted into the freed slots. */
  release(tenantId: string, emailId: string): Promise<string[]> {
    return this.redis.mailroomLanesRelease(...this.keys(tenantId), tenantId, String(this.maxInFlight), String(this.now()), emailId);
  }

  /** Fills the tenant's free slots from its backlog (after K was raised, or a lost release). */
  promote(tenantId: string): Promise<string[]> {
    return this.release(tenantId, '');
  }

  /** Takes a waiting id out of the backlog; says 'admitted' if it holds a slot instead (its job must go first). */
  removeFromBacklog(tenantId: string, emailId: string): Promise<'backlog' | 'admitted' | 'none'> {
    return this.redis.mailroomLanesRemoveFromBacklog(...this.keys(tenantId), tenantId, emailId);
  }

  backlogLength(tenantId: string): Promise<number> {
    return this.redis.llen(laneKeys(this.prefix, tenantId).backlog);
  }

  admittedCount(tenantId: string): Promise<number> {
    return this.redis.zcard(laneKeys(this.prefix, tenantId).admitted);
  }

  /** The waiting ids, oldest first (for the dashboard; `limit` keeps a huge backlog cheap). */
  backlogIds(tenantId: string, limit = 100): Promise<string[]> {
    return this.redis.lrange(laneKeys(this.prefix, tenantId).backlog, 0, limit - 1);
  }

  /** Ids admitted at or before `atMs`: what the sweep checks against BullMQ. */
  admittedSince(tenantId: string, atMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(laneKeys(this.prefix, tenantId).admitted, '-inf', atMs);
  }

  /** Tenants with anything admitted or waiting. */
  tenants(): Promise<string[]> {
    return this.redis.smembers(laneTenantsKey(this.prefix));
  }

  /** How many tenants have anything admitted or waiting: one SCARD (the workers' slots follow it). */
  busyTenantCount(): Promise<number> {
    return this.redis.scard(laneTenantsKey(this.prefix));
  }

  /** Totals for metrics: one script, O(busy tenants). */
  async stats(): Promise<LaneStats> {
    const [tenants, admitted, backlog, tenantsWithBacklog] = await this.redis.mailroomLanesStats(
      laneTenantsKey(this.prefix),
      laneRoot(this.prefix),
    );
    return { tenants, admitted, backlog, tenantsWithBacklog };
  }

  /**
   * The `limit` tenants with the largest backlogs, largest first, and how many tenants have one: one
   * script over the backlogs index (never the keyspace), O(limit x K). `delayed` looks the tenant's
   * admitted ids up in `queue`'s delayed set.
   */
  async backlogsByTenant(queue: Queue<SendJobData>, limit: number): Promise<{ tenantsWithBacklog: number; tenants: TenantBacklog[] }> {
    const [tenantsWithBacklog, rows] = await this.redis.mailroomLanesBacklogs(
      laneBacklogsKey(this.prefix),
      queue.keys.delayed,
      laneRoot(this.prefix),
      String(limit),
    );
    const tenants = rows.map(([tenantId, backlog, admitted, delayed, oldest]) => ({
      tenantId,
      backlog,
      admitted,
      delayed,
      oldestWaitingId: oldest === '' ? null : oldest,
    }));
    return { tenantsWithBacklog, tenants };
  }

  /**
   * Enqueue path (API): admit, and add the admitted ids' jobs. One script does both when the job
   * options allow it (send-job-lua.ts); otherwise BullMQ adds them in one bulk call after the admission.
   */
  async admitAndEnqueue(queue: Queue<SendJobData>, tenantId: string, emailIds: string[], jobOptionsFor: JobOptionsFor): Promise<Admission> {
    const template = this.templateFor(queue, jobOptionsFor);
    if (template) {
      const [admitted, backlogged] = await this.redis.mailroomLanesAdmitAndAdd(
        ...this.keys(tenantId, template.keys),
        tenantId,
        String(this.maxInFlight),
        String(this.now()),
        template.jobPrefix,
        template.name,
        template.optsTemplate,
        ...emailIds,
      );
      return { admitted, backlogged };
    }
    const admission = await this.admit(tenantId, emailIds);
    await addSendJobs(queue, tenantId, admission.admitted, jobOptionsFor);
    return admission;
  }

  /**
   * The job's work is over (sent, failed for good, removed): free its slot and add the promoted ids'
   * jobs. One script does both when the job options allow it (send-job-lua.ts): one round trip, and
   * a promoted id never holds a slot without its job; otherwise BullMQ adds them after the release.
   */
  async releaseAndPromote(queue: Queue<SendJobData>, tenantId: string, emailId: string, jobOptionsFor: JobOptionsFor): Promise<string[]> {
    const template = this.templateFor(queue, jobOptionsFor);
    if (template)
      return this.redis.mailroomLanesReleaseAndAdd(
        ...this.keys(tenantId, template.keys),
        tenantId,
        String(this.maxInFlight),
        String(this.now()),
        emailId,
        template.jobPrefix,
        template.name,
        template.optsTemplate,
      );
    const promoted = await this.release(tenantId, emailId);
    await addSendJobs(queue, tenantId, promoted, jobOptionsFor);
    return promoted;
  }

  /** Fills the tenant's free slots and adds the promoted ids' jobs (after K was raised, or a lost release). */
  promoteAndAdd(queue: Queue<SendJobData>, tenantId: string, jobOptionsFor: JobOptionsFor): Promise<string[]> {
    return this.releaseAndPromote(queue, tenantId, '', jobOptionsFor);
  }

  private templateFor(queue: Queue<SendJobData>, jobOptionsFor: JobOptionsFor): SendJobTemplate | undefined {
    let perQueue = this.templates.get(queue);
    if (!perQueue) this.templates.set(queue, (perQueue = new WeakMap()));
    let template = perQueue.get(jobOptionsFor);
    if (template === undefined) perQueue.set(jobOptionsFor, (template = sendJobTemplate(queue, SEND_JOB_NAME, jobOptionsFor) ?? null));
    return template ?? undefined;
  }

  /**
   * Cancel, at the queue level. The store's status is what stops a send (the worker does not send an
   * email that is no longer queued or deferred): set it first, then call this to give the place back.
   * 'in-flight': the job is being processed right now (it cannot be removed), or it was just admitted
   * and its job is being added by another process; either way it runs, finds the email canceled, ends
   * and releases its slot.
   */
  async cancel(queue: Queue<SendJobData>, tenantId: string, emailId: string, jobOptionsFor: JobOptionsFor): Promise<CancelOutcome> {
    const where = await this.removeFromBacklog(tenantId, emailId);
    if (where === 'backlog') return 'removed-from-backlog';
    const state = await queue.getJobState(emailId);
    if (state === 'unknown') return where === 'admitted' ? 'in-flight' : 'not-found';
    if (state === 'active' || (await queue.remove(emailId)) !== 1) return 'in-flight';
    await this.releaseAndPromote(queue, tenantId, emailId, jobOptionsFor);
    return 'removed-from-queue';
  }

  /** Every lanes script's keys: the tenant's four, then `between` (BullMQ's), then the backlogs index. */
  private keys(tenantId: string, between: string[] = []): string[] {
    const k: LaneKeys = laneKeys(this.prefix, tenantId);
    return [k.tenants, k.admitted, k.backlog, k.backlogged, ...between, k.backlogs];
  }
}

/** jobId = email id (in `jobOptionsFor`), so adding an id whose job exists is a no-op. */
export async function addSendJobs(
  queue: Queue<SendJobData>,
  tenantId: string,
  emailIds: string[],
  jobOptionsFor: JobOptionsFor,
): Promise<void> {
  if (emailIds.length === 0) return;
  // One id (the usual promotion) as a plain add: one round trip instead of MULTI + script + EXEC.
  if (emailIds.length === 1) return void (await queue.add(SEND_JOB_NAME, { tenantId, emailId: emailIds[0] }, jobOptionsFor(emailIds[0])));
  await queue.addBulk(emailIds.map((emailId) => ({ name: SEND_JOB_NAME, data: { tenantId, emailId }, opts: jobOptionsFor(emailId) })));
}
