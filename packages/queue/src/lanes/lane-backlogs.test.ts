import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deleteKeysUnder, openRedis, uniquePrefix } from '../../test/support/redis-test-prefix';
import { createSendQueue, SendJobData } from '../send-queue';
import { laneBacklogsKey } from './lane-keys';
import { TenantLanes } from './tenant-lanes';

const ids = (from: number, to: number, tag: string) => Array.from({ length: to - from + 1 }, (_, i) => `em_${tag}${from + i}`);

/** The backlogs index the lanes' scripts keep for GET /ops/tenant-backlogs: which tenants wait, how many, which id first. */
describe('TenantLanes.backlogsByTenant (the index kept by the lanes scripts, on the real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue<SendJobData>;
  let lanes: TenantLanes;

  beforeAll(async () => {
    redis = await openRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('lane-backlogs');
    queue = createSendQueue(redis, prefix);
    lanes = new TenantLanes(redis, { prefix, maxInFlight: 3 });
  });
  afterEach(async () => {
    await queue.close();
    await deleteKeysUnder(redis, prefix);
  });
  afterAll(() => redis.quit());

  it('lists the tenants with a backlog, largest first, with their slots and their oldest waiting id', async () => {
    await lanes.admit('small', ids(1, 4, 's'));
    await lanes.admit('big', ids(1, 10, 'b'));
    await lanes.admit('middle', ids(1, 6, 'm'));
    await lanes.admit('idle', ids(1, 2, 'i'));

    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({
      tenantsWithBacklog: 3,
      tenants: [
        { tenantId: 'big', backlog: 7, admitted: 3, delayed: 0, oldestWaitingId: 'em_b4' },
        { tenantId: 'middle', backlog: 3, admitted: 3, delayed: 0, oldestWaitingId: 'em_m4' },
        { tenantId: 'small', backlog: 1, admitted: 3, delayed: 0, oldestWaitingId: 'em_s4' },
      ],
    });
    const firstTwo = await lanes.backlogsByTenant(queue, 2);
    expect([firstTwo.tenantsWithBacklog, firstTwo.tenants.map((t) => t.tenantId)]).toEqual([3, ['big', 'middle']]);
  });

  it('follows every change of a backlog: promotion, an undone enqueue, cancel, and leaves when it is empty', async () => {
    await lanes.admit('A', ids(1, 4, 'a'));
    await lanes.admit('A', ids(5, 7, 'a'));
    const row = async () => (await lanes.backlogsByTenant(queue, 20)).tenants[0];
    expect(await row()).toMatchObject({ backlog: 4, oldestWaitingId: 'em_a4' });

    await lanes.release('A', 'em_a1'); // promotes em_a4, the oldest waiting
    expect(await row()).toMatchObject({ backlog: 3, oldestWaitingId: 'em_a5' });
    await lanes.release('A', 'em_a6'); // an undone enqueue of a waiting id
    expect(await lanes.removeFromBacklog('A', 'em_a5')).toBe('backlog'); // cancel
    expect(await row()).toMatchObject({ backlog: 1, oldestWaitingId: 'em_a7' });

    await lanes.release('A', 'em_a2'); // promotes the last one
    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({ tenantsWithBacklog: 0, tenants: [] });
    expect(await redis.exists(laneBacklogsKey(prefix))).toBe(0);
  });

  it('keeps nothing per waiting id beside the backlog itself: the index is one entry per backlogged tenant', async () => {
    await lanes.admit('A', ids(1, 500, 'a'));
    await lanes.release('A', 'em_a1');
    const keys = (await redis.keys(`${prefix}:tenant-lanes*`)).map((k) => k.slice(prefix.length)).sort();
    expect(keys).toEqual([
      ':tenant-lanes:backlogs',
      ':tenant-lanes:t:A:admitted',
      ':tenant-lanes:t:A:backlog',
      ':tenant-lanes:t:A:backlogged',
      ':tenant-lanes:tenants',
    ]);
    expect(await redis.zrange(laneBacklogsKey(prefix), '0', '-1', 'WITHSCORES')).toEqual(['A', '496']);
  });

  it('keeps the index through the scripts that add the jobs themselves', async () => {
    const jobOptionsFor = (emailId: string) => ({ jobId: emailId, removeOnComplete: true });
    await lanes.admitAndEnqueue(queue, 'A', ids(1, 5, 'a'), jobOptionsFor);
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 0, oldestWaitingId: 'em_a4' },
    ]);
    await lanes.releaseAndPromote(queue, 'A', 'em_a1', jobOptionsFor);
    expect((await lanes.backlogsByTenant(queue, 20)).tenants[0]).toMatchObject({ backlog: 1, oldestWaitingId: 'em_a5' });
    expect(await queue.getJobState('em_a4')).toBe('waiting');
  });

  it('counts the admitted jobs that sleep in BullMQ (a sending limit or a retry holds them)', async () => {
    await lanes.admit('A', ids(1, 5, 'a'));
    await queue.add('send', { tenantId: 'A', emailId: 'em_a1' }, { jobId: 'em_a1' });
    await queue.add('send', { tenantId: 'A', emailId: 'em_a2' }, { jobId: 'em_a2', delay: 60_000 });
    await queue.add('send', { tenantId: 'B', emailId: 'em_b1' }, { jobId: 'em_b1', delay: 60_000 });
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 1, oldestWaitingId: 'em_a4' },
    ]);
  });

  it('the sweep s pass writes the index again for a lane from before it', async () => {
    await lanes.admit('A', ids(1, 5, 'a'));
    await redis.del(laneBacklogsKey(prefix)); // as the scripts from before the index left it
    expect(await lanes.backlogsByTenant(queue, 20)).toEqual({ tenantsWithBacklog: 0, tenants: [] });
    await lanes.promote('A'); // what reconcileLanes runs for every busy tenant
    expect((await lanes.backlogsByTenant(queue, 20)).tenants).toEqual([
      { tenantId: 'A', backlog: 2, admitted: 3, delayed: 0, oldestWaitingId: 'em_a4' },
    ]);
  });
});
