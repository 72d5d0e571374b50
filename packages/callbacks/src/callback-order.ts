import type { Cluster, Redis } from 'ioredis';
import { CLAIM_LUA, DROP_HEAD_LUA, FINISH_LUA, REGISTER_LUA } from './callback-order.lua';

interface OrderCommands {
  mailroomCallbackRegister(...keysAndArgs: string[]): Promise<string | null>;
  mailroomCallbackClaim(...keysAndArgs: string[]): Promise<[string, string?]>;
  mailroomCallbackFinish(...keysAndArgs: string[]): Promise<string | null>;
  mailroomCallbackDropHead(...keysAndArgs: string[]): Promise<string | null>;
}

export type Claim = { state: 'done' } | { state: 'head' } | { state: 'wait'; head: string };

export interface CallbackOrderOptions {
  /** The queue prefix (QUEUE_PREFIX); hash-tagged on a Redis Cluster, so these keys share BullMQ's slot. */
  prefix: string;
  /** How long a pending list outlives its last write. */
  pendingTtlSeconds?: number;
  /** How long a delivered id is remembered (a re-publish within it is not sent again). */
  deliveredTtlSeconds?: number;
}

const DAY = 24 * 3600;

/**
 * Per-email delivery order: one Redis list of pending event ids per order key, whose head is the only
 * one of that key being delivered. Every event also has its BullMQ job from the start (the job holds
 * the payload, and a job is never lost between two steps); a job that is not the head waits, parked as
 * delayed, and is promoted when the head before it is delivered or given up. See decision 0022.
 */
export class CallbackOrder {
  private readonly redis: (Redis | Cluster) & OrderCommands;
  private readonly prefix: string;
  private readonly ttls: [string, string];

  constructor(redis: Redis | Cluster, options: CallbackOrderOptions) {
    this.prefix = options.prefix;
    this.ttls = [String(options.pendingTtlSeconds ?? 30 * DAY), String(options.deliveredTtlSeconds ?? 7 * DAY)];
    redis.defineCommand('mailroomCallbackRegister', { numberOfKeys: 2, lua: REGISTER_LUA });
    redis.defineCommand('mailroomCallbackClaim', { numberOfKeys: 2, lua: CLAIM_LUA });
    redis.defineCommand('mailroomCallbackFinish', { numberOfKeys: 2, lua: FINISH_LUA });
    redis.defineCommand('mailroomCallbackDropHead', { numberOfKeys: 2, lua: DROP_HEAD_LUA });
    this.redis = redis as (Redis | Cluster) & OrderCommands;
  }

  /** Appends ids (in order) to the key's pending list; answers the head. */
  register(orderKey: string, ids: string[]): Promise<string | null> {
    return this.redis.mailroomCallbackRegister(...this.keys(orderKey), ...this.ttls, ...ids);
  }

  async claim(orderKey: string, id: string): Promise<Claim> {
    const [state, head] = await this.redis.mailroomCallbackClaim(...this.keys(orderKey), ...this.ttls, id);
    if (state === 'done') return { state: 'done' };
    return state === 'head' ? { state: 'head' } : { state: 'wait', head: head! };
  }

  /** The id's delivery is over (delivered, or given up); answers the next head. */
  finish(orderKey: string, id: string, delivered: boolean): Promise<string | null> {
    return this.redis.mailroomCallbackFinish(...this.keys(orderKey), ...this.ttls, id, delivered ? '1' : '0');
  }

  /** The head's job is gone or ended without finishing (removed by hand, lost): it leaves the list. */
  dropHead(orderKey: string, head: string): Promise<string | null> {
    return this.redis.mailroomCallbackDropHead(...this.keys(orderKey), ...this.ttls, head);
  }

  /** The pending ids, head first (tests, diagnosis). */
  pending(orderKey: string): Promise<string[]> {
    return this.redis.lrange(this.keys(orderKey)[0], 0, -1);
  }

  private keys(orderKey: string): [string, string] {
    const base = `${this.prefix}:callback-order:${orderKey}`;
    return [base, `${base}:delivered`];
  }
}
