import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deleteKeysUnder, openRedis, uniquePrefix } from '../../test/support/redis-test-prefix';
import { createSendQueue, SendJobData } from '../send-queue';
import { laneBacklogsKey, laneKeys } from './lane-keys';
import { TenantLanes } from './tenant-lanes';

const ids = (from: number, to: number, tag: string) => Array.from({ length: to - from + 1 }, (_, i) => `em_${tag}${from + i}`);

/** The backlogs index the lanes' scripts keep for GET /ops/tenant-backlogs: which tenants wait, how many, since when. */
describe('TenantLanes.backlogsByTenant (the index kept by the lanes scripts, on the real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue<SendJobData>;
  let clock: number;
  let lanes: TenantLanes;

  beforeAll(async () => {
    redis = await openRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('lane-backlogs');
    queue = createSendQueue(redis, prefix);
    clock = 1_000;
    lanes = new TenantLanes(redis, { prefix, maxInFlight: 3, now: () => clock });
  });
  afterEach(async () => {
    await queue.close();
    await deleteKeysUnder(redis, prefix);
  });
  afterAll(() => redis.quit());

  const at = async <T>(ms: number, work: () => Promise<T>): Promise<T> => {
    clock = ms;
    return work();
  };

  it('lists the tenants with a backlog, largest first, with their slots and the time their oldest id started waiting', async () => {
    await at(1_000, () => lanes.admit('small', ids(1, 4, 's')));
    await at(2_000, () => lanes.admit('big', ids(1, 10, 'b')));
    await at(3_000, () => lanes.admit('middle', ids(1, 6, 'm')));
    await at(4_000, () => lanes.admit('idle', ids(1, 2, 'i')));

    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({
      tenantsWithBacklog: 3,
      tenants: [
        { tenantId: 'big', backlog: 7, admitted: 3, delayed: 0, oldestWaitingSinceMs: 2_000 },
        { tenantId: 'middle', backlog: 3, admitted: 3, delayed: 0, oldestWaitingSinceMs: 3_000 },
        { tenantId: 'small', backlog: 1, admitted: 3, delayed: 0, oldestWaitingSinceMs: 1_000 },
      ],
    });
    const firstTwo = await lanes.backlogsByTenant(queue, 2);
    expect([firstTwo.tenantsWithBacklog, firstTwo.tenants.map((t) => t.tenantId)]).toEqual([3, ['big', 'middle']]);
  });

  it('follows every change of a backlog: promotion, an undone enqueue, cancel, and leaves when it is empty', async () => {
    await at(1_000, () => lanes.admit('A', ids(1, 4, 'a')));
    await at(5_000, () => lanes.admit('A', ids(5, 7, 'a')));
    const row = async () => (await lanes.backlogsByTenant(queue, 20)).tenants[0];
    expect(await row()).toMatchObject({ backlog: 4, oldestWaitingSinceMs: 1_000 });

    await at(6_000, () => lanes.release('A', 'em_a1')); // promotes em_a4, the one that waited since 1,000
    expect(await row()).toMatchObject({ backlog: 3, oldestWaitingSinceMs: 5_000 });
    await lanes.release('A', 'em_a6'); // an undone enqueue of a waiting id
    expect(await lanes.removeFromBacklog('A', 'em_a5')).toBe('backlog'); // cancel
    expect(await row()).toMatchObject({ backlog: 1, oldestWaitingSinceMs: 5_000 });

    await lanes.release('A', 'em_a2'); // promotes the last one
    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({ tenantsWithBacklog: 0, tenants: [] });
    expect(await redis.exists(laneKeys(prefix, 'A').waitingSince, laneBacklogsKey(prefix))).toBe(0);
  });

  it('keeps the index through the scripts that add the jobs themselves', async () => {
    const jobOptionsFor = (emailId: string) => ({ jobId: emailId, removeOnComplete: true });
    await at(1_000, () => lanes.admitAndEnqueue(queue, 'A', ids(1, 5, 'a'), jobOptionsFor));
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 0, oldestWaitingSinceMs: 1_000 },
    ]);
    await lanes.releaseAndPromote(queue, 'A', 'em_a1', jobOptionsFor);
    expect((await lanes.backlogsByTenant(queue, 20)).tenants[0]).toMatchObject({ backlog: 1 });
    expect(await queue.getJobState('em_a4')).toBe('waiting');
  });

  it('counts the admitted jobs that sleep in BullMQ (a sending limit or a retry holds them)', async () => {
    await lanes.admit('A', ids(1, 5, 'a'));
    await queue.add('send', { tenantId: 'A', emailId: 'em_a1' }, { jobId: 'em_a1' });
    await queue.add('send', { tenantId: 'A', emailId: 'em_a2' }, { jobId: 'em_a2', delay: 60_000 });
    await queue.add('send', { tenantId: 'B', emailId: 'em_b1' }, { jobId: 'em_b1', delay: 60_000 });
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 1, oldestWaitingSinceMs: 1_000 },
    ]);
  });

  it('the sweep s pass writes the index again for a lane from before it; an id without a time says null', async () => {
    await lanes.admit('A', ids(1, 5, 'a'));
    await redis.del(laneBacklogsKey(prefix), laneKeys(prefix, 'A').waitingSince); // as the older scripts left it
    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({ tenantsWithBacklog: 0, tenants: [] });
    await lanes.promote('A'); // what reconcileLanes runs for every busy tenant
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 0, oldestWaitingSinceMs: null },
    ]);
  });
});
