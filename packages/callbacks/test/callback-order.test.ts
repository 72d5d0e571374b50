import { CallbackOrder } from '../src';
import { testRedis } from './redis-prefix';

describe('CallbackOrder (Redis scripts)', () => {
  const { redis, prefix, cleanup } = testRedis('order');
  const order = new CallbackOrder(redis, { prefix });
  afterAll(cleanup);

  it('the first registered is the head; the others wait their turn in publication order', async () => {
    expect(await order.register('email:1', ['a', 'b'])).toBe('a');
    expect(await order.register('email:1', ['c', 'b'])).toBe('a');
    expect(await order.pending('email:1')).toEqual(['a', 'b', 'c']);
    expect(await order.claim('email:1', 'a')).toEqual({ state: 'head' });
    expect(await order.claim('email:1', 'c')).toEqual({ state: 'wait', head: 'a' });
  });

  it('finishing the head hands the turn to the next; a delivered id is never registered or sent again', async () => {
    await order.register('email:2', ['a', 'b']);
    expect(await order.finish('email:2', 'a', true)).toBe('b');
    expect(await order.claim('email:2', 'a')).toEqual({ state: 'done' });
    expect(await order.register('email:2', ['a'])).toBe('b');
    expect(await order.pending('email:2')).toEqual(['b']);
    expect(await order.finish('email:2', 'b', false)).toBeNull();
    // Given up, not delivered: a retry by hand takes a new turn.
    expect(await order.claim('email:2', 'b')).toEqual({ state: 'head' });
  });

  it('a job nobody registered takes its turn at the end; a dead head can be dropped', async () => {
    await order.register('email:3', ['a']);
    expect(await order.claim('email:3', 'late')).toEqual({ state: 'wait', head: 'a' });
    expect(await order.pending('email:3')).toEqual(['a', 'late']);
    expect(await order.dropHead('email:3', 'not-the-head')).toBe('a');
    expect(await order.dropHead('email:3', 'a')).toBe('late');
    expect(await order.claim('email:3', 'late')).toEqual({ state: 'head' });
  });

  it('keys live under the queue prefix and expire', async () => {
    await order.register('email:4', ['a']);
    await order.finish('email:4', 'a', true);
    await order.register('email:4', ['b']);
    const keys = (await redis.keys(`${prefix}:callback-order:email:4*`)).sort();
    expect(keys).toEqual([`${prefix}:callback-order:email:4`, `${prefix}:callback-order:email:4:delivered`]);
    for (const k of keys) expect(await redis.ttl(k)).toBeGreaterThan(0);
  });
});
