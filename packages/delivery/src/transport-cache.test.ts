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

describe('TransportCache', () => {
  it('reuses a tenant transport for the same settings version', () => {
    const cache = new TransportCache(10);
    const a = cache.get('t1', 1, () => new CountingTransport('a'));
    expect(cache.get('t1', 1, () => new CountingTransport('b'))).toBe(a);
  });

  it('replaces and closes the transport when the settings version changes', () => {
    const cache = new TransportCache(10);
    const v1 = cache.get('t1', 1, () => new CountingTransport('v1')) as CountingTransport;
    const v2 = cache.get('t1', 2, () => new CountingTransport('v2')) as CountingTransport;
    expect(v2).not.toBe(v1);
    expect(v1.closed).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('is bounded: the least recently used tenant is closed first', () => {
    const cache = new TransportCache(2);
    const t1 = cache.get('t1', 1, () => new CountingTransport('1')) as CountingTransport;
    const t2 = cache.get('t2', 1, () => new CountingTransport('2')) as CountingTransport;
    cache.get('t1', 1, () => new CountingTransport('again'));
    cache.get('t3', 1, () => new CountingTransport('3'));
    expect(cache.size).toBe(2);
    expect(t2.closed).toBe(1);
    expect(t1.closed).toBe(0);
  });

  it('evict and closeAll close what they drop', async () => {
    const cache = new TransportCache(5);
    const t = cache.get('t1', 1, () => new CountingTransport('1')) as CountingTransport;
    cache.evict('t1');
    expect(t.closed).toBe(1);
    const u = cache.get('t2', 1, () => new CountingTransport('2')) as CountingTransport;
    await cache.closeAll();
    expect(u.closed).toBe(1);
    expect(cache.size).toBe(0);
  });
});
