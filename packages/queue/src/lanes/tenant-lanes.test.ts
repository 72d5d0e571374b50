import type { Redis } from 'ioredis';
import { deleteKeysUnder, openRedis, uniquePrefix } from '../../test/support/redis-test-prefix';
import { laneKeys } from './lane-keys';
import { TenantLanes } from './tenant-lanes';

const ids = (from: number, to: number, tag = 'a') => Array.from({ length: to - from + 1 }, (_, i) => `em_${tag}${from + i}`);

describe('TenantLanes (the scripts, on the real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let lanes: TenantLanes;

  beforeAll(async () => {
    redis = await openRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('lanes');
    lanes = new TenantLanes(redis, { prefix, maxInFlight: 3 });
  });
  afterEach(() => deleteKeysUnder(redis, prefix));
  afterAll(() => redis.quit());

  it('admits K ids and backlogs the rest, in order, from one batch', async () => {
    const batch = ids(1, 500);
    const { admitted, backlogged } = await lanes.admit('A', batch);
    expect(admitted).toEqual(ids(1, 3));
    expect(backlogged).toEqual(ids(4, 500));
    expect(await lanes.admittedCount('A')).toBe(3);
    expect(await lanes.backlogLength('A')).toBe(497);
    expect(await lanes.backlogIds('A', 2)).toEqual(['em_a4', 'em_a5']);
  });

  it('is idempotent: a replay admits and backlogs nothing new, and answers the same split', async () => {
    const first = await lanes.admit('A', ids(1, 5));
    const replay = await lanes.admit('A', ids(1, 5));
    expect(replay).toEqual(first);
    const dup = await lanes.admit('A', ['em_a6', 'em_a6', 'em_a1']);
    expect(dup).toEqual({ admitted: ['em_a1'], backlogged: ['em_a6'] });
    expect(await lanes.admittedCount('A')).toBe(3);
    expect(await lanes.backlogLength('A')).toBe(3);
  });

  it('releases in FIFO order across calls: each release promotes the oldest waiting id', async () => {
    await lanes.admit('A', ids(1, 4));
    await lanes.admit('A', ids(5, 6));
    const order: string[] = [];
    for (const id of ids(1, 6)) order.push(...(await lanes.release('A', id)));
    expect(order).toEqual(ids(4, 6));
    expect(await lanes.admittedCount('A')).toBe(0);
    expect(await lanes.tenants()).toEqual([]);
  });

  it('a new id waits behind the backlog even when it arrives as a slot frees', async () => {
    await lanes.admit('A', ids(1, 5));
    await redis.zrem(laneKeys(prefix, 'A').admitted, 'em_a1'); // a slot freed without promotion (a lost release)
    const { admitted, backlogged } = await lanes.admit('A', ['em_a9']);
    expect(admitted).toEqual(['em_a4']);
    expect(backlogged).toEqual(['em_a9']);
    expect(await lanes.backlogIds('A')).toEqual(['em_a5', 'em_a9']);
  });

  it('releasing twice, or an id it never had, never admits more than K', async () => {
    await lanes.admit('A', ids(1, 10));
    expect(await lanes.release('A', 'em_a1')).toEqual(['em_a4']);
    expect(await lanes.release('A', 'em_a1')).toEqual([]);
    expect(await lanes.release('A', 'em_zzz')).toEqual([]);
    expect(await lanes.admittedCount('A')).toBe(3);
  });

  it('releasing a waiting id (an undone enqueue) takes it out of the backlog', async () => {
    await lanes.admit('A', ids(1, 5));
    expect(await lanes.release('A', 'em_a4')).toEqual([]);
    expect(await lanes.backlogIds('A')).toEqual(['em_a5']);
    expect(await lanes.release('A', 'em_a1')).toEqual(['em_a5']);
  });

  it('removes a waiting id from the backlog (cancel), so it is never promoted', async () => {
    await lanes.admit('A', ids(1, 5));
    expect(await lanes.removeFromBacklog('A', 'em_a4')).toBe('backlog');
    expect(await lanes.removeFromBacklog('A', 'em_a4')).toBe('none');
    expect(await lanes.removeFromBacklog('A', 'em_a2')).toBe('admitted');
    expect(await lanes.release('A', 'em_a1')).toEqual(['em_a5']);
    expect(await lanes.release('A', 'em_a2')).toEqual([]);
  });

  it('keeps tenants apart: A backlogged does not delay B', async () => {
    await lanes.admit('A', ids(1, 1000));
    expect(await lanes.admit('B', ['em_b1'])).toEqual({ admitted: ['em_b1'], backlogged: [] });
    expect((await lanes.tenants()).sort()).toEqual(['A', 'B']);
    expect(await lanes.stats()).toEqual({ tenants: 2, admitted: 4, backlog: 997, tenantsWithBacklog: 1 });
  });

  it('fills newly allowed slots when K is raised, and admits nothing while over a lowered K', async () => {
    await lanes.admit('A', ids(1, 10));
    const wider = new TenantLanes(redis, { prefix, maxInFlight: 5 });
    expect(await wider.promote('A')).toEqual(['em_a4', 'em_a5']);
    const narrower = new TenantLanes(redis, { prefix, maxInFlight: 2 });
    expect(await narrower.release('A', 'em_a1')).toEqual([]);
    expect(await narrower.release('A', 'em_a2')).toEqual([]);
    expect(await narrower.release('A', 'em_a3')).toEqual([]);
    expect(await narrower.release('A', 'em_a4')).toEqual(['em_a6']);
  });

  it('never exceeds K when admits and releases race on two connections', async () => {
    const other = await openRedis();
    try {
      const lanes2 = new TenantLanes(other, { prefix, maxInFlight: 3 });
      const inLane = new Set<string>();
      let maxSeen = 0;
      const note = async (admittedNow: string[]) => {
        for (const id of admittedNow) inLane.add(id);
        maxSeen = Math.max(maxSeen, await redis.zcard(laneKeys(prefix, 'A').admitted));
      };
      // Two "API instances" admit 200 ids between them while two "workers" release whatever is admitted.
      const admitting = { left: 2 };
      const admitters = [lanes, lanes2].map(async (l, n) => {
        for (let i = 0; i < 100; i += 10) await note((await l.admit('A', ids(n * 100 + i, n * 100 + i + 9))).admitted);
        admitting.left -= 1;
      });
      const releasers = [lanes, lanes2].map(async (l) => {
        while (admitting.left > 0 || inLane.size > 0) {
          const next = inLane.values().next();
          if (next.done) {
            await new Promise((r) => setImmediate(r));
            continue;
          }
          inLane.delete(next.value);
          await note(await l.release('A', next.value));
        }
      });
      await Promise.all([...admitters, ...releasers]);
      expect(maxSeen).toBeLessThanOrEqual(3);
      expect(await lanes.stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
    } finally {
      await other.quit();
    }
  });

  it('refuses a cap below one', () => {
    expect(() => new TenantLanes(redis, { prefix, maxInFlight: 0 })).toThrow(/positive integer/);
  });
});
