import type { OutgoingMessage, SendResult, Transport } from '@mailroom/transports';
import { TransportCache } from './transport-cache';

class CountingTransport implements Transport {
  readonly kind = 'smtp' as const;
  closed = 0;
  constructor(readonly label: string) {}
  async send(m: OutgoingMessage): Promise<SendResult> {
    return { messageId: m.messageId, recipients: [] };
  }
  close() {
    this.closed++;
  }
}

const counting = (label: string) => () => new CountingTransport(label);
/** Acquire and release at once: the transport, as a cache user between two sends sees it. */
const peek = (cache: TransportCache, tenantId: string, version: number, label: string) => {
  const lease = cache.acquire(tenantId, version, counting(label));
  lease.release();
  return lease.transport as CountingTransport;
};

describe('TransportCache', () => {
  it('reuses a tenant transport for the same settings version', () => {
    const cache = new TransportCache(10);
    const a = peek(cache, 't1', 1, 'a');
    expect(peek(cache, 't1', 1, 'b')).toBe(a);
  });

  it('replaces and closes an idle transport when the settings version changes', () => {
    const cache = new TransportCache(10);
    const v1 = peek(cache, 't1', 1, 'v1');
    const v2 = peek(cache, 't1', 2, 'v2');
    expect(v2).not.toBe(v1);
    expect(v1.closed).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('is bounded: the least recently used tenant goes first', () => {
    const cache = new TransportCache(2);
    const t1 = peek(cache, 't1', 1, '1');
    const t2 = peek(cache, 't2', 1, '2');
    peek(cache, 't1', 1, 'again');
    peek(cache, 't3', 1, '3');
    expect(cache.size).toBe(2);
    expect(t2.closed).toBe(1);
    expect(t1.closed).toBe(0);
  });

  it('a transport dropped while sends hold it closes when the last of them is done, once', () => {
    const cache = new TransportCache(1);
    const a = cache.acquire('t1', 1, counting('v1'));
    const b = cache.acquire('t1', 1, counting('unused'));
    const v1 = a.transport as CountingTransport;
    expect(b.transport).toBe(v1);

    const next = cache.acquire('t1', 2, counting('v2')); // new settings: v1 leaves the cache...
    expect(next.transport).not.toBe(v1);
    expect(v1.closed).toBe(0); // ...but two sends still use it
    expect(cache.draining).toBe(1);
    a.release();
    a.release(); // a double release counts once
    expect(v1.closed).toBe(0);
    b.release();
    expect(v1.closed).toBe(1);
    expect(cache.draining).toBe(0);

    cache.evict('t1');
    expect((next.transport as CountingTransport).closed).toBe(0);
    next.release();
    expect((next.transport as CountingTransport).closed).toBe(1);
  });

  it('the size bound drains the same way', () => {
    const cache = new TransportCache(1);
    const held = cache.acquire('t1', 1, counting('1'));
    peek(cache, 't2', 1, '2');
    expect((held.transport as CountingTransport).closed).toBe(0);
    held.release();
    expect((held.transport as CountingTransport).closed).toBe(1);
  });

  it('closeAll closes everything, leased or draining, once', async () => {
    const cache = new TransportCache(5);
    const held = cache.acquire('t1', 1, counting('1'));
    cache.evict('t1');
    const idle = peek(cache, 't2', 1, '2');
    await cache.closeAll();
    expect([(held.transport as CountingTransport).closed, idle.closed]).toEqual([1, 1]);
    held.release();
    expect((held.transport as CountingTransport).closed).toBe(1);
    expect(cache.size).toBe(0);
  });
});
