import type { Redis } from 'ioredis';
import { deleteKeysUnder, openRedis, uniquePrefix } from '../../test/support/redis-test-prefix';
import { windowsOf } from './sending-limits';
import { TenantRateLimiter } from './tenant-rate-limiter';

/** A minute boundary, so 1 s buckets start at T0. */
const T0 = 1_760_000_040_000;
const s = (seconds: number) => T0 + seconds * 1000;

describe('TenantRateLimiter (sliding windows in Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let limiter: TenantRateLimiter;

  beforeAll(async () => {
    redis = await openRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('limits');
    limiter = new TenantRateLimiter(redis, { prefix });
  });
  afterEach(() => deleteKeysUnder(redis, prefix));
  afterAll(() => redis.quit());

  const takeMany = async (n: number, limits: Parameters<TenantRateLimiter['tryTake']>[1], at: number, tenant = 'A') => {
    const results = [];
    for (let i = 0; i < n; i++) results.push(await limiter.tryTake(tenant, limits, at));
    return results;
  };

  it('5 per minute: exactly 5 go, the 6th is told when the first one is a minute old', async () => {
    const results = await takeMany(8, { perMinute: 5 }, s(0.1));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results[5]).toEqual({ ok: false, retryAtMs: s(61), window: 'minute' });
    expect(results[7]).toEqual({ ok: false, retryAtMs: s(61), window: 'minute' });
    // exact at the boundary: one millisecond before it, still no; at it, the next five and no more
    expect(await limiter.tryTake('A', { perMinute: 5 }, s(61) - 1)).toMatchObject({ ok: false });
    expect((await takeMany(6, { perMinute: 5 }, s(61))).map((r) => r.ok)).toEqual([true, true, true, true, true, false]);
    expect(await limiter.tryTake('A', { perMinute: 5 }, s(61))).toEqual({ ok: false, retryAtMs: s(122), window: 'minute' });
  });

  it('slides: sends late in one minute still count early in the next (a fixed window would let 10 through)', async () => {
    expect((await takeMany(5, { perMinute: 5 }, s(59.5))).every((r) => r.ok)).toBe(true);
    expect(await limiter.tryTake('A', { perMinute: 5 }, s(60.5))).toEqual({ ok: false, retryAtMs: s(120), window: 'minute' });
    expect(await limiter.tryTake('A', { perMinute: 5 }, s(120))).toEqual({ ok: true });
  });

  it('frees slots as the oldest sends age out, one bucket at a time', async () => {
    await takeMany(2, { perMinute: 3 }, s(0));
    await takeMany(1, { perMinute: 3 }, s(10));
    expect(await limiter.tryTake('A', { perMinute: 3 }, s(30))).toEqual({ ok: false, retryAtMs: s(61), window: 'minute' });
    expect((await takeMany(3, { perMinute: 3 }, s(61))).map((r) => r.ok)).toEqual([true, true, false]);
    expect(await limiter.tryTake('A', { perMinute: 3 }, s(62))).toEqual({ ok: false, retryAtMs: s(71), window: 'minute' });
  });

  it('takes from every window or from none, and answers the time all of them have room', async () => {
    const limits = { perMinute: 3, perHour: 4 };
    expect((await takeMany(4, limits, s(0))).map((r) => r.ok)).toEqual([true, true, true, false]);
    expect((await takeMany(2, limits, s(61))).map((r) => r.ok)).toEqual([true, false]);
    // the hour is full: 4 in it. Refusals must not have counted in the minute window.
    expect(await limiter.tryTake('A', limits, s(62))).toEqual({ ok: false, retryAtMs: s(0) + 3_600_000 + 60_000, window: 'hour' });
    expect(await limiter.usage('A', windowsOf(limits), s(62))).toEqual({ minute: 1, hour: 4 });
    // both windows blocked: the later of the two times wins (the minute's is s(122))
    await redis.del(`${prefix}:tenant-limits:A:hour`);
    await takeMany(2, limits, s(62));
    const both = await limiter.tryTake('A', { perMinute: 3, perHour: 2 }, s(63));
    expect(both).toEqual({ ok: false, retryAtMs: s(120) + 3_600_000, window: 'hour' });
  });

  it('a day limit holds across the whole day and frees in 24-minute buckets', async () => {
    const limits = { perDay: 100 };
    expect((await takeMany(100, limits, s(0))).every((r) => r.ok)).toBe(true);
    const refused = await limiter.tryTake('A', limits, s(3600 * 23));
    expect(refused).toEqual({ ok: false, retryAtMs: expect.any(Number), window: 'day' });
    const retryAt = (refused as { retryAtMs: number }).retryAtMs;
    expect(retryAt).toBeGreaterThanOrEqual(s(86_400));
    expect(retryAt).toBeLessThanOrEqual(s(86_400 + 24 * 60));
    expect(await limiter.tryTake('A', limits, retryAt)).toEqual({ ok: true });
  });

  it('counts each tenant apart, and a cost of several recipients at once', async () => {
    await takeMany(5, { perMinute: 5 }, s(0));
    expect(await limiter.tryTake('B', { perMinute: 5 }, s(0))).toEqual({ ok: true });
    expect(await limiter.tryTake('C', { perMinute: 5 }, s(0), 4)).toEqual({ ok: true });
    expect(await limiter.tryTake('C', { perMinute: 5 }, s(0), 2)).toMatchObject({ ok: false });
    expect(await limiter.tryTake('C', { perMinute: 5 }, s(0), 1)).toEqual({ ok: true });
    // more than a whole window may hold: takes the whole window once instead of waiting for ever
    expect(await limiter.tryTake('D', { perMinute: 5 }, s(0), 50)).toEqual({ ok: true });
    expect(await limiter.tryTake('D', { perMinute: 5 }, s(0), 1)).toMatchObject({ ok: false });
  });

  it('lets exactly the limit through when many workers take at once on their own connections', async () => {
    const connections = await Promise.all(Array.from({ length: 4 }, () => openRedis()));
    try {
      const limiters = connections.map((c) => new TenantRateLimiter(c, { prefix }));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => limiters[i % 4].tryTake('A', { perMinute: 50, perHour: 70 }, s(1))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(50);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it('passes a tenant without limits without touching Redis, and refuses nonsense limits', async () => {
    expect(await limiter.tryTake('A', undefined)).toEqual({ ok: true });
    expect(await limiter.tryTake('A', {})).toEqual({ ok: true });
    expect(() => windowsOf({ perMinute: 0 })).toThrow(/limits.perMinute must be a positive integer/);
    expect(() => windowsOf({ perDay: 1.5 })).toThrow(/limits.perDay/);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
