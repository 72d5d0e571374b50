import { RedisServerProcess, startRedisServer } from '@mailroom/testkit';
import { Worker } from 'bullmq';
import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { releaseLaneAfterSuccess, releaseLaneOnFinalFailure } from './lanes/release-tenant-lane';
import { JobOptionsFor, TenantLanes } from './lanes/tenant-lanes';
import { deferJob } from './limits/defer-job';
import { TenantRateLimiter } from './limits/tenant-rate-limiter';
import { createRedisConnection } from './redis-connection';
import { createSendQueue, jitteredBackoff, SEND_QUEUE, SendJobData, sendJobOptions } from './send-queue';

const jobOptionsFor: JobOptionsFor = (id) => sendJobOptions(id, { attempts: 3, retryBaseMs: 10 });

/**
 * Runs the queue layer's whole life on a Redis of its own (so KEYS * is every key it wrote): the send
 * queue with a worker that retries, defers and completes jobs, the tenant lanes with a backlog, and
 * the tenants' limits in all three windows. Answers every key written, plus the BullMQ key names the
 * queue knows of (some exist only in moments: the stalled check, the rate limiter, deduplication).
 */
async function keysWrittenUnder(url: string, redis: Redis, prefix: string): Promise<string[]> {
  const queue = createSendQueue(redis, prefix);
  const lanes = new TenantLanes(redis, { prefix, maxInFlight: 1 });
  const limiter = new TenantRateLimiter(redis, { prefix });
  const deps = { lanes, queue, jobOptionsFor, logger: { error: () => undefined } };
  const runs = new Map<string, number>();
  const connection = createRedisConnection(url);
  const worker = new Worker<SendJobData>(
    SEND_QUEUE,
    releaseLaneAfterSuccess(deps, async (job, token) => {
      const n = (runs.get(job.data.emailId) ?? 0) + 1;
      runs.set(job.data.emailId, n);
      expect((await limiter.tryTake(job.data.tenantId, { perMinute: 100, perHour: 1000, perDay: 10_000 })).ok).toBe(true);
      if (job.data.emailId === 'em_retry' && n === 1) throw new Error('421 try again later');
      if (job.data.emailId === 'em_defer' && n === 1) await deferJob(job, token, Date.now() + 20);
    }),
    {
      connection,
      prefix,
      concurrency: 2,
      settings: { backoffStrategy: (made: number) => jitteredBackoff(made, { baseMs: 10, maxMs: 1000 }) },
    },
  );
  releaseLaneOnFinalFailure(worker, deps);
  try {
    await lanes.admitAndEnqueue(queue, 'tenant-a', ['em_retry', 'em_defer', 'em_ok'], jobOptionsFor);
    await lanes.admitAndEnqueue(queue, 'tenant-b', ['em_b1', 'em_b2'], jobOptionsFor);
    await lanes.admitAndEnqueue(queue, 'tenant-c', ['em_c1'], jobOptionsFor);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the jobs did not finish within 20 s')), 20_000);
      worker.on('completed', async () => {
        if ((await queue.getCompletedCount()) === 6) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Something left in a lane, a backlog and a limit window while the keys are read.
    await worker.close();
    await lanes.admitAndEnqueue(queue, 'tenant-d', ['em_d1', 'em_d2'], jobOptionsFor);
    await limiter.tryTake('tenant-d', { perMinute: 5, perHour: 50, perDay: 500 });
    const written = await redis.keys('*');
    return [...written, ...Object.values(queue.keys), queue.toKey('em_ok'), `${queue.toKey('em_ok')}:lock`];
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
  }
}

describe('every key of the queue layer on a Redis Cluster', () => {
  let server: RedisServerProcess;
  let redis: Redis;
  // A redis-server of each test's own, so KEYS * is exactly what the test wrote.
  beforeEach(async () => {
    server = await startRedisServer();
    redis = createRedisConnection(server.url);
    await redis.connect();
  });
  afterEach(async () => {
    redis?.disconnect();
    await server?.close();
  });

  it('lands in the one slot of a hash-tagged prefix: BullMQ send queue, tenant lanes, tenant limits', async () => {
    const prefix = '{mailroom}';
    const keys = await keysWrittenUnder(server.url, redis, prefix);
    for (const family of [
      `${prefix}:send:wait`,
      `${prefix}:send:completed`,
      `${prefix}:send:em_ok`,
      'tenant-lanes:tenants',
      'backlog',
      'tenant-limits',
    ])
      expect({ family, found: keys.some((k) => k.includes(family)) }).toEqual({ family, found: true });
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
    const slots = new Set(keys.map((k) => calculateSlot(k)));
    expect([...slots]).toEqual([calculateSlot(prefix)]);
    // Only the tag is hashed.
    expect(calculateSlot(prefix)).toBe(calculateSlot('mailroom'));
  });

  it('spreads over many slots without the tag (why the apps refuse such a prefix on a Cluster)', async () => {
    const keys = await keysWrittenUnder(server.url, redis, 'mailroom');
    expect(new Set(keys.map((k) => calculateSlot(k))).size).toBeGreaterThan(10);
  });
});
