import type { OutgoingMessage, SendResult, Transport } from '@mailroom/transports';
import { TimedTransportCache } from './timed-transport-cache';

/** A transport standing in for a real one: the cache's timing, not the transport, is under test. */
function scriptedTransport(kind: Transport['kind'], answer: () => Promise<SendResult>): Transport & { closed: number } {
  const t = { kind, closed: 0, send: (_m: OutgoingMessage) => answer(), close: () => void t.closed++ };
  return t;
}

const message = {} as OutgoingMessage;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TimedTransportCache', () => {
  it('times every call of a cached transport, failures included, and still closes the real transport', async () => {
    const calls: [string, number][] = [];
    const cache = new TimedTransportCache(10, { transportCallTook: (kind, seconds) => calls.push([kind, seconds]) });
    const real = scriptedTransport('smtp', async () => (await later(30), { messageId: '<m@x>', recipients: [] }));
    const lease = cache.acquire('t1', 1, () => real);
    const t = lease.transport;
    const again = cache.acquire('t1', 1, () => scriptedTransport('smtp', async () => ({ messageId: 'other', recipients: [] })));
    expect(again.transport).toBe(t);
    again.release();
    expect(await t.send(message)).toEqual({ messageId: '<m@x>', recipients: [] });
    lease.release();
    const failing = cache.acquire('t2', 1, () =>
      scriptedTransport('mailgun', async () => (await later(20), Promise.reject(new Error('500')))),
    );
    await expect(failing.transport.send(message)).rejects.toThrow('500');
    failing.release();
    expect(calls.map(([k]) => k)).toEqual(['smtp', 'mailgun']);
    expect(calls[0][1]).toBeGreaterThanOrEqual(0.025);
    expect(calls[1][1]).toBeGreaterThanOrEqual(0.015);
    expect(t.verify).toBeUndefined();
    cache.evict('t1');
    await later(0);
    expect(real.closed).toBe(1);
    expect(cache.size).toBe(1);
  });
});
