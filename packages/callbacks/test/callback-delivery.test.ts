import { randomBytes } from 'node:crypto';
import { Bench, emailEvent, idOf, sleep, startBench, waitFor, whsec } from './callback-bench';

/** Callbacks through the real queue to a real receiver that verifies each with the standardwebhooks package. */
describe('callback delivery', () => {
  let bench: Bench | undefined;
  afterEach(async () => {
    await bench?.stop();
    bench = undefined;
  });

  it("delivers one email's events signed and in order, the next only after the one before was answered", async () => {
    // The first answer is held until another email's event has arrived (at least 600 ms), and parked
    // jobs wake up every 100 ms to check their turn: with ten deliveries at once and no ordering, the
    // later events of the same email would overtake it.
    const held = async () => {
      const until = Date.now() + 5000;
      await sleep(600);
      while (Date.now() < until && !bench!.receiver.received.some((r) => r.payload.data.emailId === 'em_b')) await sleep(20);
      return 200;
    };
    bench = await startBench({ parkMs: 100, script: (n) => (n === 0 ? held() : 204) });
    const a = ['email.accepted', 'email.delivered', 'email.opened'] as const;
    const events = a.map((t) => emailEvent('em_a', t));
    const other = emailEvent('em_b', 'email.accepted');
    for (const e of events) await bench.callbacks.publisher.publish([e]);
    await bench.callbacks.publisher.publish([other]);

    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 4, 'four callbacks');
    const ofA = b.receiver.received.filter((r) => r.payload.data.emailId === 'em_a');
    expect(ofA.map((r) => r.payload.type)).toEqual([...a]);
    expect(ofA.map((r) => r.id)).toEqual(events.map(idOf));
    for (let i = 1; i < ofA.length; i++) expect(ofA[i].receivedAt).toBeGreaterThanOrEqual(ofA[i - 1].answeredAt!);
    // Another email's event does not wait behind this one's slow answer.
    const ofB = b.receiver.received.find((r) => r.payload.data.emailId === 'em_b')!;
    expect(ofB.receivedAt).toBeLessThan(ofA[0].answeredAt!);
    for (const r of b.receiver.received) expect(r.verifiedBy).toEqual([true]);
    expect(ofA[0].payload).toEqual({ type: 'email.accepted', timestamp: events[0].timestamp, data: events[0].data });
    expect(Object.keys(ofA[0].payload)).toEqual(['type', 'timestamp', 'data']);
    await waitFor(() => b.observer.count('delivered') === 4, 'four counted as delivered');
    expect((await b.callbacks.control.status()).lastDeliveredAt).toEqual(expect.any(String));
  });

  it('a receiver answering 500 gets the same webhook-id and body again, and the next event waits for it', async () => {
    bench = await startBench({ script: (n) => (n < 2 ? 500 : 204) });
    const [first, second] = [emailEvent('em_1', 'email.accepted'), emailEvent('em_1', 'email.delivered')];
    await bench.callbacks.publisher.publish([first, second]);
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 2, 'both delivered');
    expect(b.receiver.received.map((r) => [r.id, r.answeredWith])).toEqual([
      [idOf(first), 500],
      [idOf(first), 500],
      [idOf(first), 204],
      [idOf(second), 204],
    ]);
    expect(new Set(b.receiver.received.slice(0, 3).map((r) => r.body)).size).toBe(1);
    for (const r of b.receiver.received) expect(r.verifiedBy).toEqual([true]);
    expect(b.observer.count('retry')).toBe(2);
    expect((await b.callbacks.control.status()).lastError).toMatchObject({ status: 500, code: 'http_500', msgId: idOf(first) });
  });

  it('a timeout is retried under the same webhook-id', async () => {
    bench = await startBench({ timeoutMs: 300, script: (n) => (n === 0 ? 'hang' : 204) });
    const e = emailEvent('em_t', 'email.accepted');
    await bench.callbacks.publisher.publish([e]);
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'delivered after the timeout');
    expect(b.receiver.received.map((r) => [r.id, r.answeredWith])).toEqual([
      [idOf(e), 'hang'],
      [idOf(e), 204],
    ]);
    expect((await b.callbacks.control.status()).lastError).toMatchObject({ code: 'timeout' });
  });

  it('signs with every secret during a rotation; each verifies on its own', async () => {
    const [next, current] = [randomBytes(32), randomBytes(24)];
    bench = await startBench({ secrets: [next, current], receiverSecrets: [whsec(next), whsec(current), whsec(randomBytes(24))] });
    await bench.callbacks.publisher.publish([emailEvent('em_r', 'email.accepted')]);
    const b = bench;
    const [r] = await waitFor(() => b.receiver.delivered().length === 1 && b.receiver.delivered(), 'delivered');
    expect(r.signature.split(' ')).toHaveLength(2);
    expect(r.verifiedBy).toEqual([true, true, false]);
  });

  it('an event published again after it was delivered is not sent again', async () => {
    bench = await startBench();
    const e = emailEvent('em_d', 'email.delivered');
    await bench.callbacks.publisher.publish([e]);
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'delivered');
    await bench.callbacks.publisher.publish([e]);
    await bench.callbacks.publisher.publish([emailEvent('em_d', 'email.opened')]);
    await waitFor(() => b.receiver.delivered().length === 2, 'the next event');
    await sleep(300);
    expect(b.receiver.received.map((r) => r.payload.type)).toEqual(['email.delivered', 'email.opened']);
  });
});
