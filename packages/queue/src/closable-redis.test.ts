import { refusingPort, startRedisServer } from '@mailroom/testkit';
import { ClosableRedis } from './closable-redis';

/** Resolves with true once `event` fires, false after `ms`. */
const within = (redis: ClosableRedis, event: string, ms: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    redis.once(event, () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('ClosableRedis', () => {
  it('ends when disconnected between two reconnect attempts (plain ioredis stays "reconnecting")', async () => {
    const redis = new ClosableRedis(`redis://127.0.0.1:${await refusingPort()}`, { maxRetriesPerRequest: null, lazyConnect: true });
    redis.on('error', () => undefined);
    redis.connect().catch(() => undefined);
    await within(redis, 'reconnecting', 5000);
    const pending = redis.get('k'); // queued offline: it must be rejected, not left pending
    const ended = within(redis, 'end', 1000);
    redis.disconnect();
    expect(await ended).toBe(true);
    expect(redis.status).toBe('end');
    await expect(pending).rejects.toThrow(/Connection is closed/);
  });

  it('disconnects a live connection as ioredis does, and its duplicates are ClosableRedis too', async () => {
    const server = await startRedisServer();
    try {
      const redis = new ClosableRedis(server.url, { lazyConnect: true });
      await redis.connect();
      const copy = redis.duplicate({ connectionName: 'copy' });
      expect(copy).toBeInstanceOf(ClosableRedis);
      expect(await copy.ping()).toBe('PONG');
      for (const client of [redis, copy]) {
        const ended = within(client, 'end', 2000);
        client.disconnect();
        expect(await ended).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
