import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { inspectSendJob, readdSendJob } from './readd-send-job';
import { createRedisConnection } from './redis-connection';
import { createSendQueue, SEND_QUEUE, SendJobData } from './send-queue';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const policy = { attempts: 2, retryBaseMs: 10 };

/** Against the real Redis, under a prefix of its own. */
describe('readdSendJob', () => {
  const prefix = `mrtest-readd-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(REDIS_URL);
  const queue = createSendQueue(redis, prefix);
  const workerConnection = createRedisConnection(REDIS_URL);
  let worker: Worker<SendJobData> | undefined;

  afterAll(async () => {
    await worker?.close();
    workerConnection.disconnect();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  const data = (emailId: string): SendJobData => ({ tenantId: 't', emailId });

  it('adds a missing job, and leaves a waiting one alone', async () => {
    expect(await inspectSendJob(queue, 'em_missing')).toEqual({ state: 'unknown' });
    expect(await readdSendJob(queue, data('em_missing'), policy)).toBe('added');
    expect((await inspectSendJob(queue, 'em_missing')).state).toBe('waiting');
    expect(await readdSendJob(queue, data('em_missing'), policy)).toBe('live');
    await queue.remove('em_missing');
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
    expect(await readdSendJob(queue, data('em_failed'), policy)).toBe('replaced');
    expect(await readdSendJob(queue, data('em_done'), policy)).toBe('replaced');
    for (let i = 0; i < 200 && finished.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect([...finished].sort()).toEqual(['em_done', 'em_failed']);
  });
});
