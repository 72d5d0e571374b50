import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** Deletes the key only if it still holds our token: a lock that expired and was taken by another is left alone. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A lock held by one process at a time across every process sharing the Redis: SET NX PX with a
 * random token, released by compare-and-delete. It expires by itself after `ttlMs`, so a holder
 * that dies blocks the others for at most that long. One Redis, no Redlock: the work it guards (a
 * token refresh) tolerates the rare double run of a failover; it only must not run ten times at once.
 */
export class RedisLock {
  private constructor(
    private readonly redis: Redis | Cluster,
    readonly key: string,
    private readonly token: string,
  ) {}

  /** The lock, or undefined when another holds it. */
  static async acquire(redis: Redis | Cluster, key: string, ttlMs: number): Promise<RedisLock | undefined> {
    const token = randomBytes(16).toString('base64url');
    const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? new RedisLock(redis, key, token) : undefined;
  }

  /** True when it was still ours to release. */
  async release(): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key, this.token)) === 1;
  }
}
