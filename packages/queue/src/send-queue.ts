import { JobsOptions, Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';

/** The one queue the API fills and workers drain. A job carries ids only, never content or secrets. */
export const SEND_QUEUE = 'send';

export interface SendJobData {
  tenantId: string;
  emailId: string;
}

export const JITTERED_BACKOFF = 'jittered-exponential';

export interface SendPolicy {
  attempts: number;
  retryBaseMs: number;
}

/** jobId = emailId: BullMQ refuses a second job with the same id, so an email is never queued twice. */
export function sendJobOptions(emailId: string, policy: SendPolicy): JobsOptions {
  return {
    jobId: emailId,
    attempts: policy.attempts,
    backoff: { type: JITTERED_BACKOFF, delay: policy.retryBaseMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

const optionsForPolicy = new WeakMap<SendPolicy, (emailId: string) => JobsOptions>();

/**
 * The options of every email's job under one policy, as the tenant lanes take them (`JobOptionsFor`).
 * The same function for the same policy object, so the lanes build their job template once (send-job-lua.ts).
 */
export function sendJobOptionsFor(policy: SendPolicy): (emailId: string) => JobsOptions {
  let optionsFor = optionsForPolicy.get(policy);
  if (!optionsFor) optionsForPolicy.set(policy, (optionsFor = (emailId) => sendJobOptions(emailId, policy)));
  return optionsFor;
}

export function createSendQueue(connection: Redis | Cluster, prefix: string): Queue<SendJobData> {
  return new Queue<SendJobData>(SEND_QUEUE, { connection, prefix });
}

/** The backoff between a send's attempts: RETRY_BASE_MS doubling up to RETRY_MAX_MS (decision 0056). */
export interface RetryBackoff {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff capped at `maxMs`, with jitter ((min(base * 2^(n-1), max)) * [0.5, 1.5)), so a
 * burst of failures against one server does not come back in lockstep, and a server that is back is
 * tried again within 1.5 × `maxMs` however long it was away. A provider's Retry-After wins.
 */
export function jitteredBackoff(
  attemptsMade: number,
  backoff: RetryBackoff,
  err?: { retryAfterMs?: number },
  random = Math.random,
): number {
  if (err?.retryAfterMs !== undefined && err.retryAfterMs > 0) return err.retryAfterMs;
  const exp = backoff.baseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(Math.min(exp, backoff.maxMs) * (0.5 + random()));
}
