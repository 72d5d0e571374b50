/**
 * What one tenant's sending limits cost in Redis memory at perDay = 2,000 (Gmail's figure), for the
 * choice in docs/decisions/0026: our bucketed sliding window vs a sliding log (a sorted set of
 * timestamps, the exact textbook answer) vs a log kept as a plain list. Prints bytes per tenant and
 * the total for 10,000 tenants each at its limit.
 *
 *   npx tsx bench/limiter-memory.ts
 */
import { createRedisConnection, TenantRateLimiter } from '@mailroom/queue';
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from '../packages/queue/test/support/redis-test-prefix';

const PER_DAY = 2000;
const DAY = 86_400_000;

async function main() {
  const redis = createRedisConnection(TEST_REDIS_URL);
  await redis.connect();
  const prefix = uniquePrefix('limiter-memory');
  try {
    const limiter = new TenantRateLimiter(redis, { prefix });
    const start = Math.floor(Date.now() / DAY) * DAY;
    // 2,000 sends spread over the day (every bucket in use), with a minute and an hour limit too
    for (let i = 0; i < PER_DAY; i++) {
      const r = await limiter.tryTake('t', { perMinute: 60, perHour: 1000, perDay: PER_DAY }, start + Math.floor((i * DAY) / PER_DAY));
      if (!r.ok) throw new Error(`refused at ${i}`);
    }
    const ours = await Promise.all(['minute', 'hour', 'day'].map((w) => redis.memory('USAGE', `${prefix}:tenant-limits:t:${w}`)));
    const zsetKey = `${prefix}:log-zset`;
    const listKey = `${prefix}:log-list`;
    for (let i = 0; i < PER_DAY; i += 500) {
      const stamps = Array.from({ length: 500 }, (_, j) => start + Math.floor(((i + j) * DAY) / PER_DAY));
      await redis.zadd(zsetKey, ...stamps.flatMap((t, j) => [t, `${t}-${i + j}`]));
      await redis.rpush(listKey, ...stamps);
    }
    const zset = (await redis.memory('USAGE', zsetKey)) ?? 0;
    const list = (await redis.memory('USAGE', listKey)) ?? 0;
    const day = ours[2] ?? 0;
    const row = (name: string, bytes: number) =>
      console.log(`${name.padEnd(44)} ${String(bytes).padStart(7)} B   x 10,000 tenants: ${((bytes * 10_000) / 1048576).toFixed(1)} MB`);
    console.log(`one tenant at perDay = ${PER_DAY}, the day window only:`);
    row('bucketed sliding window (ours, 60 buckets)', day);
    row('sliding log, sorted set', zset);
    row('sliding log, list of timestamps', list);
    console.log(`ours, all three windows (minute, hour, day): ${ours.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)} B`);
  } finally {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
