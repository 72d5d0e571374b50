import IORedis, { RedisOptions } from 'ioredis';
import { closeHandler } from 'ioredis/built/redis/event_handler';

/** Its options: ioredis's, with the replies ioredis gives by default (what BullMQ expects). */
export type ClosableRedisOptions = RedisOptions & { replyMapping?: 'legacy' };

/**
 * An ioredis client that can be closed in every state, and whose duplicates (BullMQ's blocking
 * connections) are the same kind.
 *
 * ioredis 6, asked to `disconnect()` while it waits between two reconnect attempts (status
 * `reconnecting`, no socket), clears its retry timer and emits nothing more: the client stays
 * `reconnecting` forever, never `end`. BullMQ's `Worker.close()` disconnects its blocking connection
 * and waits for `end` (its RedisConnection.disconnect(wait)), so a SIGTERM during a Redis outage, or
 * just after one while that connection is still backing off, never finished the drain (bullmq#4656).
 * Here such a client is ended as ioredis ends a client that never connected (status `wait`): `close`,
 * then `end`, its queued commands rejected with "Connection is closed.".
 */
export class ClosableRedis extends IORedis {
  override disconnect(reconnect = false): void {
    const socketless = !reconnect && this.status === 'reconnecting';
    super.disconnect(reconnect);
    if (socketless && this.status === 'reconnecting') closeHandler(this)();
  }

  /** As ioredis's own (`new Redis({ ...options, ...override })`), of this class. */
  override duplicate<O extends Partial<RedisOptions> | undefined = undefined>(
    override?: O,
  ): ReturnType<typeof IORedis.prototype.duplicate<O>> {
    const options = { ...this.options, ...(override ?? {}) } as ClosableRedisOptions;
    return new ClosableRedis(options) as unknown as ReturnType<typeof IORedis.prototype.duplicate<O>>;
  }
}
