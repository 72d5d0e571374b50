import { UnrecoverableError } from 'bullmq';
import { jobOptionsFor, SendWorkers, startSendWorkers } from '../../test/support/send-workers';
import { uniquePrefix } from '../../test/support/redis-test-prefix';
import { reconcileLanes } from './reconcile-lanes';
import { TenantLanes } from './tenant-lanes';

/** Each test plays one crash: the process dies between a lane script and the BullMQ call that should follow it. */
describe('reconcileLanes repairs every gap a crash can leave', () => {
  let sw: SendWorkers;
  let lanes: TenantLanes;
  const later = () => ({ graceMs: 5_000, now: Date.now() + 10_000 });

  beforeEach(async () => {
    // No release wiring on these workers: the lanes never hear of a finished job, as after a crash.
    const prefix = uniquePrefix('lanes-reconcile');
    sw = await startSendWorkers(prefix);
    lanes = new TenantLanes(sw.redis, { prefix, maxInFlight: 2 });
  });
  afterEach(() => sw.close());

  it('admitted but never added (died before queue.addBulk): re-adds the jobs, leaves the backlog waiting', async () => {
    await lanes.admit('A', ['em_1', 'em_2', 'em_3']);
    expect(await sw.queue.getJobState('em_1')).toBe('unknown');
    const repairs = await reconcileLanes(lanes, sw.queue, jobOptionsFor, later());
    expect(repairs).toEqual({ readded: ['em_1', 'em_2'], released: [], promoted: [] });
    expect(await sw.queue.getJobState('em_1')).toBe('waiting');
    expect((await sw.queue.getJob('em_2'))?.data).toEqual({ tenantId: 'A', emailId: 'em_2' });
    expect(await lanes.backlogIds('A')).toEqual(['em_3']);
  });

  it('leaves an enqueue in progress alone (admitted within the grace period)', async () => {
    await lanes.admit('A', ['em_1']);
    expect(await reconcileLanes(lanes, sw.queue, jobOptionsFor, { graceMs: 60_000 })).toEqual({ readded: [], released: [], promoted: [] });
    expect(await sw.queue.getJobState('em_1')).toBe('unknown');
  });

  it('released but the promoted ids never added (died after the release script): re-adds them', async () => {
    await lanes.admitAndEnqueue(sw.queue, 'A', ['em_1', 'em_2', 'em_3'], jobOptionsFor);
    await sw.queue.remove('em_1'); // em_1 is done and gone ...
    expect(await lanes.release('A', 'em_1')).toEqual(['em_3']); // ... its release promoted em_3, then the process died
    const repairs = await reconcileLanes(lanes, sw.queue, jobOptionsFor, later());
    expect(repairs.readded).toEqual(['em_3']);
    expect(await sw.queue.getJobState('em_3')).toBe('waiting');
  });

  it('finished but never released (died after the job completed, or it failed by stalling): releases and promotes', async () => {
    await lanes.admitAndEnqueue(sw.queue, 'A', ['em_ok', 'em_bad', 'em_3', 'em_4', 'em_5'], jobOptionsFor);
    await sw.addWorker(async (job) => {
      if (job.data.emailId === 'em_bad') throw new UnrecoverableError('550 no such user');
    }, 2);
    await sw.waitForFinished(2);
    expect(await lanes.admittedCount('A')).toBe(2); // both slots still held by finished jobs

    const repairs = await reconcileLanes(lanes, sw.queue, jobOptionsFor, later());
    expect(repairs.released.sort()).toEqual(['em_bad', 'em_ok']);
    expect(repairs.promoted).toEqual(['em_3', 'em_4']);
    await sw.waitForFinished(4);
    expect(await sw.queue.getJobState('em_4')).toBe('completed');
    expect(await lanes.backlogIds('A')).toEqual(['em_5']);
  });

  it('fills free slots of a tenant with a backlog (K raised, or a release lost before its script ran)', async () => {
    await lanes.admitAndEnqueue(sw.queue, 'A', ['em_1', 'em_2', 'em_3', 'em_4', 'em_5'], jobOptionsFor);
    const wider = new TenantLanes(sw.redis, { prefix: sw.prefix, maxInFlight: 4 });
    const repairs = await reconcileLanes(wider, sw.queue, jobOptionsFor, { graceMs: 60_000 });
    expect(repairs).toEqual({ readded: [], released: [], promoted: ['em_3', 'em_4'] });
    expect(await sw.queue.getJobState('em_4')).toBe('waiting');
  });
});
