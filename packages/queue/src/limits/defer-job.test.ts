import { sleep, SendWorkers, startSendWorkers } from '../../test/support/send-workers';
import { uniquePrefix } from '../../test/support/redis-test-prefix';
import { deferJob } from './defer-job';

describe('deferJob (real BullMQ worker)', () => {
  let sw: SendWorkers;
  afterEach(() => sw.close());

  it('runs the job again at the time asked for, without using up an attempt', async () => {
    sw = await startSendWorkers(uniquePrefix('defer'));
    const runs: { at: number; attemptsMade: number }[] = [];
    let deferredUntil = 0;
    await sw.addWorker(async (job, token) => {
      runs.push({ at: Date.now(), attemptsMade: job.attemptsMade });
      if (runs.length <= 3) {
        deferredUntil = Date.now() + 150;
        await deferJob(job, token, deferredUntil);
      }
      // after three deferrals, one real failure: with 2 attempts it must still be retried
      if (runs.length === 4) throw new Error('421 4.7.0 try again later');
    }, 2);
    await sw.queue.add('send', { tenantId: 'A', emailId: 'em_1' }, { jobId: 'em_1', attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await sw.waitForFinished(1, 10_000);

    const job = await sw.queue.getJob('em_1');
    expect(await job!.getState()).toBe('completed');
    expect(runs.map((r) => r.attemptsMade)).toEqual([0, 0, 0, 0, 1]);
    for (let i = 1; i <= 3; i++) {
      const gap = runs[i].at - runs[i - 1].at;
      expect(gap).toBeGreaterThanOrEqual(150 - 5); // not before the time asked for ...
      expect(gap).toBeLessThan(150 + 1500); // ... and not long after it (generous: shared machine)
    }
  });

  it('does not report a deferral as a failure', async () => {
    sw = await startSendWorkers(uniquePrefix('defer-events'));
    const failed: string[] = [];
    let first = true;
    const worker = await sw.addWorker(async (job, token) => {
      if (first) {
        first = false;
        await deferJob(job, token, Date.now() + 50);
      }
    }, 1);
    worker.on('failed', (job) => failed.push(String(job?.id)));
    await sw.queue.add('send', { tenantId: 'A', emailId: 'em_2' }, { jobId: 'em_2', attempts: 1 });
    await sw.waitForFinished(1, 10_000);
    await sleep(20);
    expect(failed).toEqual([]);
    expect(await sw.queue.getJobState('em_2')).toBe('completed');
  });
});
