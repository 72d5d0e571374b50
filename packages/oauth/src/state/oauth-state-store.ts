import type { Cluster, Redis } from 'ioredis';

/**
 * Where a pending connection waits between the start route and the callback, for single use:
 * `take` returns the value and forgets it in one atomic step, so a state redeemed twice (a replayed
 * callback URL, a double click) finds nothing the second time. Redis here; the interface lets the
 * store hold it instead if one day Redis should not.
 */
export interface OAuthStateStore {
  /** Keeps `value` under `id` for `ttlMs`; false when the id is already taken (nothing is overwritten). */
  put(id: string, value: string, ttlMs: number): Promise<boolean>;
  /** The value, deleted as it is read; undefined when unknown, already taken, or expired. */
  take(id: string): Promise<string | undefined>;
}

/** SET NX PX to keep, GETDEL (Redis 6.2+) to take: both single commands, so atomic across processes. */
export class RedisOAuthStateStore implements OAuthStateStore {
  /** `keyPrefix` is the deployment's prefix (QUEUE_PREFIX), e.g. `mailroom:`; keys are `<prefix>oauth:state:<id>`. */
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
  ) {}

  async put(id: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(id), value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async take(id: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.key(id))) ?? undefined;
  }

  private key(id: string): string {
    return `${this.keyPrefix}oauth:state:${id}`;
  }
}
