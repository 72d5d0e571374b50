import { Job, UnrecoverableError } from 'bullmq';
import { jobOptionsFor, SendWorkers, sleep, startSendWorkers } from '../../test/support/send-workers';
import { uniquePrefix } from '../../test/support/redis-test-prefix';
import { deferJob } from '../limits/defer-job';
import type { SendJobData } from '../send-queue';

const ids = (n: number, tag = 'a') => Array.from({ length: n }, (_, i) => `em_${tag}${String(i).padStart(4, '0')}`);

describe('tenant lanes with real BullMQ workers', () => {
  let sw: SendWorkers;
  afterEach(() => sw?.close());

  it('never lets one tenant work on more than K jobs at once, with two workers racing', async () => {
    sw = await startSendWorkers(uniquePrefix('lanes-k'), { maxInFlight: 3 });
    const started = new Map<string, number>();
    let active = 0;
    let maxActive = 0;
    const processor = async (job: Job<SendJobData>) => {
      started.set(job.data.emailId, (started.get(job.data.emailId) ?? 0) + 1);
      maxActive = Math.max(maxActive, ++active);
      await sleep(3 + Math.random() * 10);
      active -= 1;
    };
    await sw.addWorker(processor, 4);
    await sw.addWorker(processor, 4);
    let maxInQueue = 0;
    let maxAdmitted = 0;
    const sampling = { on: true };
    const sampler = (async () => {
      while (sampling.on) {
        // Waiting + delayed (not started) jobs are always admitted ones; active ones may include a job
        // that already released its slot and is being marked completed.
        const c = await sw.queue.getJobCounts('waiting', 'delayed', 'prioritized');
        maxInQueue = Math.max(
          maxInQueue,
          Object.values(c).reduce((a, b) => a + b, 0),
        );
        maxAdmitted = Math.max(maxAdmitted, await sw.lanes!.admittedCount('A'));
        await sleep(2);
      }
    })();

    const burst = ids(120);
    for (let i = 0; i < burst.length; i += 40) await sw.lanes!.admitAndEnqueue(sw.queue, 'A', burst.slice(i, i + 40), jobOptionsFor);
    await sw.waitForFinished(burst.length);
    sampling.on = false;
    await sampler;

    expect([...started.keys()].sort()).toEqual(burst);
    expect([...started.values()].every((n) => n === 1)).toBe(true);
    expect(maxActive).toBeLessThanOrEqual(3);
    expect(maxActive).toBe(3); // the cap is used, not just respected
    expect(maxInQueue).toBeLessThanOrEqual(3);
    expect(maxAdmitted).toBeLessThanOrEqual(3);
    expect(await sw.lanes!.stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
  });

  it('starts one tenant s emails in the order they were enqueued', async () => {
    sw = await startSendWorkers(uniquePrefix('lanes-fifo'), { maxInFlight: 1 });
    const order: string[] = [];
    await sw.lanes!.admitAndEnqueue(sw.queue, 'A', ids(15), jobOptionsFor);
    await sw.lanes!.admitAndEnqueue(sw.queue, 'A', ids(5, 'b'), jobOptionsFor);
    await sw.addWorker(async (job) => void order.push(job.data.emailId), 4);
    await sw.waitForFinished(20);
    expect(order).toEqual([...ids(15), ...ids(5, 'b')]);
  });

  it('keeps the slot through a retry and a deferral, and frees it when a job fails for good', async () => {
    sw = await startSendWorkers(uniquePrefix('lanes-retry'), { maxInFlight: 1 });
    const starts: string[] = [];
    await sw.addWorker(async (job, token) => {
      const id = job.data.emailId;
      starts.push(id);
      if (id === 'em_retry' && job.attemptsMade === 0) throw new Error('421 try again later');
      if (id === 'em_defer' && starts.filter((s) => s === id).length === 1) await deferJob(job, token, Date.now() + 100);
      if (id === 'em_bad') throw new UnrecoverableError('550 no such user');
    }, 4);
    await sw.lanes!.admitAndEnqueue(sw.queue, 'A', ['em_retry', 'em_defer', 'em_bad', 'em_last'], jobOptionsFor);
    await sw.waitForFinished(4);
    expect(starts).toEqual(['em_retry', 'em_retry', 'em_defer', 'em_defer', 'em_bad', 'em_last']);
    expect(await sw.queue.getJobState('em_bad')).toBe('failed');
    expect(await sw.lanes!.stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
  });

  it('cancels a waiting email from the backlog or from the queue, and not one being sent', async () => {
    sw = await startSendWorkers(uniquePrefix('lanes-cancel'), { maxInFlight: 2 });
    const lanes = sw.lanes!;
    await lanes.admitAndEnqueue(sw.queue, 'A', ['em_1', 'em_2', 'em_3', 'em_4'], jobOptionsFor);
    expect(await lanes.cancel(sw.queue, 'A', 'em_4', jobOptionsFor)).toBe('removed-from-backlog');
    expect(await lanes.cancel(sw.queue, 'A', 'em_2', jobOptionsFor)).toBe('removed-from-queue');
    expect(await sw.queue.getJobState('em_3')).toBe('waiting'); // promoted into em_2's slot
    expect(await lanes.cancel(sw.queue, 'A', 'em_nope', jobOptionsFor)).toBe('not-found');

    const processed: string[] = [];
    let releaseEm1!: () => void;
    let em1Started!: () => void;
    const em1Running = new Promise<void>((resolve) => (em1Started = resolve));
    await sw.addWorker(async (job) => {
      processed.push(job.data.emailId);
      if (job.data.emailId === 'em_1') {
        em1Started();
        await new Promise<void>((r) => (releaseEm1 = r));
      }
    }, 1);
    await em1Running;
    expect(await lanes.cancel(sw.queue, 'A', 'em_1', jobOptionsFor)).toBe('in-flight');
    releaseEm1();
    await sw.waitForFinished(2);
    expect(processed).toEqual(['em_1', 'em_3']);
    expect(await lanes.stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
  });
});
