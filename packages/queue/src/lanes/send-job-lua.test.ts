import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deleteKeysUnder, openRedis, uniquePrefix } from '../../test/support/redis-test-prefix';
import { tapRedisCommands } from '../../test/support/redis-command-tap';
import { createSendQueue, SEND_QUEUE, SendJobData, sendJobOptionsFor } from '../send-queue';
import { sendJobTemplate } from './send-job-lua';
import { addSendJobs, JobOptionsFor, TenantLanes } from './tenant-lanes';

const jobOptionsFor = sendJobOptionsFor({ attempts: 3, retryBaseMs: 20 });

/** Everything BullMQ keeps about a queue, with the prefix, stream ids and times taken out. */
async function snapshot(redis: Redis, queue: Queue<SendJobData>) {
  const k = queue.keys;
  const job = async (id: string) => {
    const h = await redis.hgetall(`${k['']}${id}`);
    return { ...h, data: JSON.parse(h.data), opts: JSON.parse(h.opts), timestamp: typeof Number(h.timestamp) };
  };
  const wait = await redis.lrange(k.wait, 0, -1);
  const events = (await redis.xrange(k.events, '-', '+')).map(([, fields]) => fields.join(' '));
  return {
    wait,
    jobs: await Promise.all(wait.map(job)),
    marker: await redis.zrange(k.marker, '0', '-1', 'WITHSCORES'),
    events,
    meta: await redis.hgetall(k.meta),
    id: await redis.get(k.id),
  };
}

describe('send jobs added inside the lanes script (the same job BullMQ adds)', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  const connection = () => {
    const c = redis.duplicate();
    connections.push(c);
    return c;
  };
  const open = (name: string) => {
    const prefix = uniquePrefix(name);
    prefixes.push(prefix);
    return { prefix, queue: createSendQueue(redis, prefix), lanes: new TenantLanes(redis, { prefix, maxInFlight: 1 }) };
  };

  beforeAll(async () => {
    redis = await openRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await deleteKeysUnder(redis, p);
    await Promise.all(connections.map((c) => c.quit()));
    await redis.quit();
  });

  it('writes the job hash, the wait list, the marker and the events exactly as queue.add', async () => {
    const byBullmq = open('lua-job-ref');
    const byScript = open('lua-job');
    await byBullmq.queue.waitUntilReady();
    await byScript.queue.waitUntilReady();
    await addSendJobs(byBullmq.queue, 'T', ['em_1'], jobOptionsFor);
    await addSendJobs(byBullmq.queue, 'T', ['em_2'], jobOptionsFor);
    // by the script: em_1 holds the only slot, em_2 waits; releasing em_1 adds em_2's job
    await byScript.lanes.admitAndEnqueue(byScript.queue, 'T', ['em_1', 'em_2'], jobOptionsFor);
    expect(await byScript.lanes.releaseAndPromote(byScript.queue, 'T', 'em_1', jobOptionsFor)).toEqual(['em_2']);

    const ref = await snapshot(redis, byBullmq.queue);
    const got = await snapshot(redis, byScript.queue);
    expect(got).toEqual(ref);
    expect(got.jobs[0]).toMatchObject({ name: 'send', delay: '0', priority: '0', data: { tenantId: 'T', emailId: 'em_2' } });
    expect(got.jobs[0].opts).toEqual({ ...jobOptionsFor('em_2') });
  });

  it("an admission adds the admitted ids' jobs in the same round trip, and only theirs", async () => {
    const byBullmq = open('lua-admit-ref');
    const byScript = { ...open('lua-admit'), lanes: undefined as unknown as TenantLanes };
    byScript.lanes = new TenantLanes(redis, { prefix: byScript.prefix, maxInFlight: 2 });
    await byBullmq.queue.waitUntilReady();
    await byScript.queue.waitUntilReady();
    await addSendJobs(byBullmq.queue, 'T', ['em_1'], jobOptionsFor);
    await addSendJobs(byBullmq.queue, 'T', ['em_2'], jobOptionsFor);
    await byScript.lanes.admitAndEnqueue(byScript.queue, 'T', [], jobOptionsFor); // the script is loaded now
    const tap = tapRedisCommands(redis); // the lanes' own connection
    const admission = await byScript.lanes.admitAndEnqueue(byScript.queue, 'T', ['em_1', 'em_2', 'em_3'], jobOptionsFor);
    expect(tap.stop()).toBe(1);
    expect(admission).toEqual({ admitted: ['em_1', 'em_2'], backlogged: ['em_3'] });
    expect(await snapshot(redis, byScript.queue)).toEqual(await snapshot(redis, byBullmq.queue));
  });

  it('an admitted id whose job is gone gets it again on a replay (the repair the API relies on)', async () => {
    const { queue, lanes } = open('lua-admit-repair');
    await lanes.admitAndEnqueue(queue, 'T', ['em_1'], jobOptionsFor);
    await queue.remove('em_1');
    expect(await lanes.admitAndEnqueue(queue, 'T', ['em_1'], jobOptionsFor)).toEqual({ admitted: ['em_1'], backlogged: [] });
    expect(await queue.getJobState('em_1')).toBe('waiting');
    await lanes.admitAndEnqueue(queue, 'T', ['em_1'], jobOptionsFor);
    expect(await redis.lrange(queue.keys.wait, 0, -1)).toEqual(['em_1']);
  });

  it('BullMQ reads the job back as its own: name, data, options, timestamp', async () => {
    const { queue, lanes } = open('lua-job-read');
    const before = Date.now();
    await lanes.admitAndEnqueue(queue, 'T', ['em_1', 'em_2'], jobOptionsFor);
    await lanes.releaseAndPromote(queue, 'T', 'em_1', jobOptionsFor);
    const job = (await Job.fromId<SendJobData>(queue, 'em_2'))!;
    expect(job.name).toBe('send');
    expect(job.data).toEqual({ tenantId: 'T', emailId: 'em_2' });
    expect(job.opts).toMatchObject(jobOptionsFor('em_2'));
    expect(job.timestamp).toBeGreaterThanOrEqual(before);
    expect(await queue.getJobState('em_2')).toBe('waiting');
  });

  it('adds nothing for an id whose job exists (as BullMQ: a "duplicated" event, no second entry)', async () => {
    const { queue, lanes } = open('lua-job-dup');
    await lanes.admitAndEnqueue(queue, 'T', ['em_1', 'em_2'], jobOptionsFor);
    await addSendJobs(queue, 'T', ['em_2'], jobOptionsFor); // a job for em_2 already there
    await lanes.releaseAndPromote(queue, 'T', 'em_1', jobOptionsFor);
    expect(await redis.lrange(queue.keys.wait, 0, -1)).toEqual(['em_2', 'em_1']);
    const events = (await redis.xrange(queue.keys.events, '-', '+')).map(([, f]) => f[1]);
    expect(events.at(-1)).toBe('duplicated');
  });

  it('leaves the marker alone while the queue is paused, as BullMQ, and the job runs after resume', async () => {
    const { queue, lanes } = open('lua-job-paused');
    await queue.pause();
    await lanes.admitAndEnqueue(queue, 'T', ['em_1', 'em_2'], jobOptionsFor);
    await redis.del(queue.keys.marker);
    await lanes.releaseAndPromote(queue, 'T', 'em_1', jobOptionsFor);
    expect(await redis.exists(queue.keys.marker)).toBe(0);
    await queue.resume();
    const seen: string[] = [];
    const worker = new Worker<SendJobData>(SEND_QUEUE, async (job) => void seen.push(job.id!), {
      connection: connection(),
      prefix: queue.opts.prefix,
    });
    try {
      await waitFor(() => seen.includes('em_2'));
    } finally {
      await worker.close();
    }
  });

  it('a worker runs the script-added jobs with their options: retried with the backoff, then removed on complete', async () => {
    const { queue, lanes } = open('lua-job-run');
    const attempts = new Map<string, number>();
    const ids = ['em_1', 'em_2', 'em_3'];
    const worker = new Worker<SendJobData>(
      SEND_QUEUE,
      async (job) => {
        attempts.set(job.id!, (attempts.get(job.id!) ?? 0) + 1);
        if (job.attemptsMade === 0) throw new Error('first attempt fails');
        await lanes.releaseAndPromote(queue, job.data.tenantId, job.data.emailId, jobOptionsFor);
      },
      { connection: connection(), prefix: queue.opts.prefix, settings: { backoffStrategy: () => 10 } },
    );
    try {
      await lanes.admitAndEnqueue(queue, 'T', ids, jobOptionsFor);
      await waitFor(async () => (await queue.getCompletedCount()) === 3);
      expect(ids.map((id) => attempts.get(id))).toEqual([2, 2, 2]);
      expect(await lanes.admittedCount('T')).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('a release that adds the promoted job is one round trip', async () => {
    const { queue, lanes } = open('lua-job-rtt');
    await queue.waitUntilReady();
    await lanes.admitAndEnqueue(queue, 'T', ['em_1', 'em_2', 'em_3'], jobOptionsFor);
    await lanes.releaseAndPromote(queue, 'T', 'em_1', jobOptionsFor); // the script is loaded now
    const tap = tapRedisCommands(redis); // the lanes' own connection
    await lanes.releaseAndPromote(queue, 'T', 'em_2', jobOptionsFor);
    expect(tap.stop()).toBe(1);
    expect(await queue.getJobState('em_3')).toBe('waiting');
  });

  it('options it cannot write as BullMQ would fall back to BullMQ adding the job', async () => {
    const { queue, lanes } = open('lua-job-fallback');
    const delayed: JobOptionsFor = (id) => ({ ...jobOptionsFor(id), delay: 60_000 });
    const kept: JobOptionsFor = (id) => ({ ...jobOptionsFor(id), keepLogs: 5 });
    const sameId: JobOptionsFor = () => ({ attempts: 3 });
    expect(sendJobTemplate(queue, 'send', jobOptionsFor)).toBeDefined();
    expect(sendJobTemplate(queue, 'send', delayed)).toBeUndefined();
    expect(sendJobTemplate(queue, 'send', kept)).toBeUndefined();
    expect(sendJobTemplate(queue, 'send', sameId)).toBeUndefined();
    await lanes.admitAndEnqueue(queue, 'T', ['em_1', 'em_2'], delayed);
    await lanes.releaseAndPromote(queue, 'T', 'em_1', delayed);
    expect(await queue.getJobState('em_2')).toBe('delayed');
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
