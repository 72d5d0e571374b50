import type { RedisConnection } from './redis-connection';

/**
 * The Redis `maxmemory-policy`, from INFO memory, or CONFIG GET where INFO is restricted; undefined
 * when neither may be run (managed Redis may disable both). On a Cluster, the node that answers.
 */
export async function readEvictionPolicy(redis: RedisConnection): Promise<string | undefined> {
  try {
    const info = await redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy) return policy;
  } catch {
    // INFO disabled or renamed: try CONFIG GET.
  }
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    return reply[1] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What to tell an operator about a policy: undefined when it is `noeviction` (BullMQ's requirement);
 * otherwise why it matters and the fix. Redis evicting a job's keys under memory pressure loses
 * emails and corrupts the queue's bookkeeping, silently.
 */
export function evictionPolicyProblem(policy: string | undefined): string | undefined {
  if (policy === 'noeviction') return undefined;
  if (policy === undefined)
    return 'could not read the Redis maxmemory-policy (INFO and CONFIG GET are not allowed here): make sure it is noeviction, as BullMQ requires';
  return `Redis maxmemory-policy is ${policy}: under memory pressure Redis may delete queued emails' jobs. BullMQ requires noeviction: set maxmemory-policy noeviction in redis.conf (or CONFIG SET maxmemory-policy noeviction, or the hosted Redis's parameter group), and give Redis enough memory`;
}
