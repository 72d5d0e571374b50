import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { TenantLanes } from './lanes/tenant-lanes';
import { inspectSendJob, readdSendJob } from './readd-send-job';
import { createRedisConnection } from './redis-connection';
import { createSendQueue, SEND_QUEUE, SendJobData, sendJobOptionsFor } from './send-queue';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const jobOptionsFor = sendJobOptionsFor({ attempts: 2, retryBaseMs: 10 });

/** Against the real Redis, under a prefix of its own. */
describe('readdSendJob', () => {
  const prefix = `mrtest-readd-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(REDIS_URL);
  const queue = createSendQueue(redis, prefix);
  const lanes = new TenantLanes(redis, { prefix, maxInFlight: 2 });
  const workerConnection = createRedisConnection(REDIS_URL);
  let worker: Worker<SendJobData> | undefined;

  afterAll(async () => {
    await worker?.close();
    workerConnection.disconnect();
    await queue.obliterate({ force: true });
    await queue.close();
    const laneKeys = await redis.keys(`${prefix}:tenant-lanes*`);
    if (laneKeys.length) await redis.del(...laneKeys);
    redis.disconnect();
  });

  const data = (emailId: string): SendJobData => ({ tenantId: 't', emailId });

  it('adds a missing job, and leaves a waiting one alone', async () => {
    expect(await inspectSendJob(queue, 'em_missing')).toEqual({ state: 'unknown' });
    expect(await readdSendJob(queue, lanes, data('em_missing'), jobOptionsFor)).toBe('added');
    expect((await inspectSendJob(queue, 'em_missing')).state).toBe('waiting');
    expect(await readdSendJob(queue, lanes, data('em_missing'), jobOptionsFor)).toBe('live');
    await queue.remove('em_missing');
    await lanes.release('t', 'em_missing');
  });

  it("obeys the tenant's lane: a re-add past TENANT_MAX_IN_FLIGHT waits in the backlog, and one waiting there stays put", async () => {
    const tenant = (emailId: string): SendJobData => ({ tenantId: 'lane', emailId });
    await lanes.admitAndEnqueue(queue, 'lane', ['em_l1', 'em_l2'], jobOptionsFor);
    expect(await readdSendJob(queue, lanes, tenant('em_l3'), jobOptionsFor)).toBe('backlogged');
    expect(await queue.getJob('em_l3')).toBeUndefined();
    // The sweep finds it again (queued, no job): still waiting its turn, no job, its place kept.
    expect(await readdSendJob(queue, lanes, tenant('em_l3'), jobOptionsFor)).toBe('backlogged');
    expect(await lanes.backlogIds('lane')).toEqual(['em_l3']);
    // An admitted id whose job was lost (a crash between admit and add) gets its job back in its own slot.
    await queue.remove('em_l2');
    expect(await readdSendJob(queue, lanes, tenant('em_l2'), jobOptionsFor)).toBe('added');
    expect((await inspectSendJob(queue, 'em_l2')).state).toBe('waiting');
    expect(await lanes.admittedCount('lane')).toBe(2);
    // A slot frees: the backlogged email's job is added then.
    await queue.remove('em_l1');
    expect(await lanes.releaseAndPromote(queue, 'lane', 'em_l1', jobOptionsFor)).toEqual(['em_l3']);
    expect((await inspectSendJob(queue, 'em_l3')).state).toBe('waiting');
    for (const id of ['em_l2', 'em_l3']) {
      await queue.remove(id);
      await lanes.release('lane', id);
    }
    expect(await lanes.stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
  });

  it('replaces a job that failed for good or completed, which a plain add would silently ignore', async () => {
    const finished = new Set<string>();
    let refused = false;
    worker = new Worker<SendJobData>(
      SEND_QUEUE,
      async (job) => {
        finished.add(job.data.emailId);
        if (job.data.emailId === 'em_failed' && !refused) {
          refused = true;
          throw new UnrecoverableError('535 no');
        }
      },
      { connection: workerConnection, prefix },
    );
    await queue.add('send', data('em_failed'), { jobId: 'em_failed', attempts: 2 });
    await queue.add('send', data('em_done'), { jobId: 'em_done', attempts: 2 });
    for (let i = 0; i < 200 && finished.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    expect(await inspectSendJob(queue, 'em_failed')).toMatchObject({ state: 'failed', failedReason: '535 no' });
    expect((await inspectSendJob(queue, 'em_done')).state).toBe('completed');

    await queue.add('send', data('em_failed'), { jobId: 'em_failed' });
    expect((await inspectSendJob(queue, 'em_failed')).state).toBe('failed');

    finished.clear();
    expect(await readdSendJob(queue, lanes, data('em_failed'), jobOptionsFor)).toBe('replaced');
    expect(await readdSendJob(queue, lanes, data('em_done'), jobOptionsFor)).toBe('replaced');
    for (let i = 0; i < 200 && finished.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect([...finished].sort()).toEqual(['em_done', 'em_failed']);
  });

  it('a job that fails between the two reads is seen failed with its reason, or not yet failed: never failed without it', async () => {
    // A job that BullMQ fails (reason and state in one script) right after the first read, whichever it is.
    let failed = false;
    const job = {
      get failedReason() {
        return failed ? 'job stalled more than allowable limit' : undefined;
      },
      attemptsMade: 0,
      getState: async () => (failed ? 'failed' : 'active'),
    };
    const afterFirstRead = <T>(value: () => T) => {
      const answer = value();
      failed = true;
      return answer;
    };
    const racing = {
      getJob: async () => afterFirstRead(() => ({ ...job, failedReason: job.failedReason })),
      getJobState: async () => afterFirstRead(() => (failed ? 'failed' : 'active')),
    } as unknown as Parameters<typeof inspectSendJob>[0];
    const first = await inspectSendJob(racing, 'em_racing');
    expect(first).toEqual({ state: 'active', attemptsMade: 0 });
    expect(await inspectSendJob(racing, 'em_racing')).toEqual({
      state: 'failed',
      failedReason: 'job stalled more than allowable limit',
      attemptsMade: 0,
    });
  });
});
