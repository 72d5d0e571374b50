import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { parsePrometheusText, sampleValue, samplesOf } from '@mailroom/testkit';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Registry } from 'prom-client';
import { CALLBACK_QUEUE, CallbackJobData, callbackJobOptions, promoteIfParked } from '@mailroom/callbacks';
import { waitingSince, watchQueues } from './queue-gauges';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('queue gauges, read from Redis on scrape', () => {
  const prefix = `mrtest-metrics-${randomBytes(4).toString('hex')}`;
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const send = new Queue('send', { connection: redis, prefix });
  const callbacks = new Queue('callbacks', { connection: redis, prefix });
  afterAll(async () => {
    for (const q of [send, callbacks]) {
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
  });

  it('counts jobs by state and dates the oldest waiting job, for every queue given', async () => {
    const t0 = Date.now();
    await send.add('send', { n: 1 }, { jobId: 'a' });
    await send.add('send', { n: 2 }, { jobId: 'b' });
    await send.add('send', { n: 3 }, { jobId: 'c', delay: 60_000 });
    await callbacks.add('callback', { n: 4 }, { jobId: 'd', priority: 5 });
    const registry = new Registry();
    watchQueues(registry, [send, callbacks], { now: () => t0 + 90_000 });

    const families = parsePrometheusText(await registry.metrics());
    expect(sampleValue(families, 'mailroom_queue_jobs', { queue: 'send', state: 'waiting' })).toBe(2);
    expect(sampleValue(families, 'mailroom_queue_jobs', { queue: 'send', state: 'delayed' })).toBe(1);
    expect(sampleValue(families, 'mailroom_queue_jobs', { queue: 'callbacks', state: 'prioritized' })).toBe(1);
    expect(samplesOf(families, 'mailroom_queue_jobs', { queue: 'send' }).map((s) => s.labels.state)).toEqual(
      expect.arrayContaining(['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed']),
    );
    // Job a was added first, just after t0: about 90 s old at the injected "now".
    const sendAge = sampleValue(families, 'mailroom_queue_oldest_waiting_seconds', { queue: 'send' });
    expect(sendAge).toBeGreaterThan(80);
    expect(sendAge).toBeLessThanOrEqual(90);
    expect(sampleValue(families, 'mailroom_queue_oldest_waiting_seconds', { queue: 'callbacks' })).toBeGreaterThan(80);
    expect(sampleValue(families, 'mailroom_queue_reachable', { queue: 'send' })).toBe(1);
    expect(sampleValue(families, 'mailroom_queue_reachable', { queue: 'callbacks' })).toBe(1);
  });

  it('answers within its timeout when a Redis hangs: that queue unreachable and without counts, the others still read', async () => {
    const hung = await silentServer();
    const hungRedis = new IORedis(hung.port, '127.0.0.1', { maxRetriesPerRequest: null, enableReadyCheck: false });
    const stuck = new Queue('stuck', { connection: hungRedis, prefix });
    stuck.on('error', () => undefined);
    try {
      const registry = new Registry();
      watchQueues(registry, [stuck, send], { timeoutMs: 300 });
      const started = Date.now();
      const families = parsePrometheusText(await registry.metrics());
      expect(Date.now() - started).toBeLessThan(3000);
      expect(sampleValue(families, 'mailroom_queue_reachable', { queue: 'stuck' })).toBe(0);
      expect(samplesOf(families, 'mailroom_queue_jobs', { queue: 'stuck' })).toEqual([]);
      expect(samplesOf(families, 'mailroom_queue_oldest_waiting_seconds', { queue: 'stuck' })).toEqual([]);
      expect(sampleValue(families, 'mailroom_queue_reachable', { queue: 'send' })).toBe(1);
      expect(sampleValue(families, 'mailroom_queue_jobs', { queue: 'send', state: 'waiting' })).toBe(2);
    } finally {
      hungRedis.disconnect();
      await hung.close();
    }
  });

  it('warns once when a queue stops being readable and says when it is back, not once per scrape', async () => {
    let down = true;
    const flaky = {
      name: 'send',
      getJobCounts: (...t: Parameters<typeof send.getJobCounts>) =>
        down ? Promise.reject(new Error('Connection is closed.')) : send.getJobCounts(...t),
      getJobs: send.getJobs.bind(send),
    };
    const lines: { level: string; msg: string }[] = [];
    const log = (level: string) => (_o: object, msg: string) => lines.push({ level, msg });
    const logger = { warn: log('warn'), info: log('info'), debug: log('debug') } as unknown as import('pino').Logger;
    const registry = new Registry();
    watchQueues(registry, [flaky], { logger });
    for (let i = 0; i < 3; i++) await registry.metrics();
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(2);
    down = false;
    await registry.metrics();
    await registry.metrics();
    expect(lines.filter((l) => l.level === 'info')).toEqual([{ level: 'info', msg: 'queue readable again' }]);
    down = true;
    await registry.metrics();
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('reads each queue once per scrape for all three gauges', async () => {
    let reads = 0;
    const counted = {
      name: 'send',
      getJobCounts: (...t: Parameters<typeof send.getJobCounts>) => (reads++, send.getJobCounts(...t)),
      getJobs: send.getJobs.bind(send),
    };
    const registry = new Registry();
    watchQueues(registry, [counted]);
    await registry.metrics();
    expect(reads).toBe(1);
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it('dates a job from when it became ready: added plus its delay, or its last attempt for a retry', () => {
    expect(waitingSince({ timestamp: 1000, opts: {} })).toBe(1000);
    expect(waitingSince({ timestamp: 1000, opts: { delay: 500 } })).toBe(1500);
    expect(waitingSince({ timestamp: 1000, processedOn: 9000, opts: {} })).toBe(9000);
    // A callback released from its park: from its release, whatever the park it did not sit out.
    expect(waitingSince({ timestamp: 1000, opts: { delay: 600_000 }, data: { releasedAt: 4000 } })).toBe(4000);
  });

  it('dates a callback promoted from its park from its release, not from its add plus the 10 min park', async () => {
    const callbackQueue = new Queue<CallbackJobData>(CALLBACK_QUEUE, { connection: redis, prefix: `${prefix}-cb` });
    try {
      await callbackQueue.add(
        'email.accepted',
        { msgId: 'm1', orderKey: 'o', type: 'email.accepted', body: '{}' },
        callbackJobOptions('m1', 600_000),
      );
      await promoteIfParked(callbackQueue, 'm1');
      expect(await callbackQueue.getJobState('m1')).toBe('waiting');
      const registry = new Registry();
      watchQueues(registry, [callbackQueue], { now: () => Date.now() + 90_000 });
      const age = sampleValue(parsePrometheusText(await registry.metrics()), 'mailroom_queue_oldest_waiting_seconds', {
        queue: 'callbacks',
      });
      expect(age).toBeGreaterThan(85);
      expect(age).toBeLessThanOrEqual(91);
    } finally {
      await callbackQueue.obliterate({ force: true });
      await callbackQueue.close();
    }
  });
});
