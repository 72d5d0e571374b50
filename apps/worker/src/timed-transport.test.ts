import { TransportCache } from '@mailroom/delivery';
import type { TransportLabels } from '@mailroom/metrics';
import type { OutgoingMessage, SendResult, Transport } from '@mailroom/transports';
import { timedTransport } from './timed-transport';

/** A transport standing in for a real one: the timing, not the transport, is under test. */
function scriptedTransport(kind: string, answer: () => Promise<SendResult>): Transport & { closed: number } {
  const t = { kind, closed: 0, send: (_m: OutgoingMessage) => answer(), close: () => void t.closed++ };
  return t;
}

const message = {} as OutgoingMessage;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SMTP: TransportLabels = { mode: 'smtp', provider: 'none' };
const MAILGUN: TransportLabels = { mode: 'provider', provider: 'mailgun' };

describe('timedTransport, as the worker caches it', () => {
  it('times every call of a cached transport by its settings’ path, failures included, and still closes the real transport', async () => {
    const calls: [TransportLabels, number][] = [];
    const timer = { transportCallTook: (labels: TransportLabels, seconds: number) => calls.push([labels, seconds]) };
    const cache = new TransportCache(10);
    const real = scriptedTransport('graph', async () => (await later(30), { messageId: '<m@x>', recipients: [] }));
    const lease = cache.acquire('t1', 1, () => timedTransport(real, timer, SMTP));
    const t = lease.transport;
    const again = cache.acquire('t1', 1, () => scriptedTransport('smtp', async () => ({ messageId: 'other', recipients: [] })));
    expect(again.transport).toBe(t);
    again.release();
    expect(await t.send(message)).toEqual({ messageId: '<m@x>', recipients: [] });
    lease.release();
    const failing = cache.acquire('t2', 1, () =>
      timedTransport(
        scriptedTransport('mailgun', async () => (await later(20), Promise.reject(new Error('500')))),
        timer,
        MAILGUN,
      ),
    );
    await expect(failing.transport.send(message)).rejects.toThrow('500');
    failing.release();
    expect(calls.map(([l]) => l)).toEqual([SMTP, MAILGUN]);
    expect(calls[0][1]).toBeGreaterThanOrEqual(0.025);
    expect(calls[1][1]).toBeGreaterThanOrEqual(0.015);
    expect(t.verify).toBeUndefined();
    cache.evict('t1');
    await later(0);
    expect(real.closed).toBe(1);
    expect(cache.size).toBe(1);
  });
});
