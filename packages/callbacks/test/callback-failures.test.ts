import { Bench, emailEvent, idOf, sleep, startBench, waitFor } from './callback-bench';

describe('callback failures', () => {
  let bench: Bench | undefined;
  afterEach(async () => {
    await bench?.stop();
    bench = undefined;
  });

  it('400 is final: no retry, the job fails, and the next event of the email goes', async () => {
    bench = await startBench({ script: (n) => (n === 0 ? 400 : 204) });
    const [first, second] = [emailEvent('em_1', 'email.accepted'), emailEvent('em_1', 'email.delivered')];
    await bench.callbacks.publisher.publish([first, second]);
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'the second event');
    await sleep(300);
    expect(b.receiver.received.map((r) => [r.id, r.answeredWith])).toEqual([
      [idOf(first), 400],
      [idOf(second), 204],
    ]);
    await waitFor(async () => (await (await b.job(idOf(first)))!.getState()) === 'failed', 'the first job failed');
    expect(b.observer.attempts).toEqual([
      { type: 'email.accepted', outcome: 'failed' },
      { type: 'email.delivered', outcome: 'delivered' },
    ]);
    expect((await b.callbacks.control.status()).lastError).toMatchObject({ status: 400, message: 'scripted 400' });
  });

  it('after the last of eight attempts the event is given up and the next one goes', async () => {
    const retries = 8;
    bench = await startBench({ retryScale: 0.00002, script: (n) => (n < retries ? 503 : 204) });
    const [first, second] = [emailEvent('em_2', 'email.accepted'), emailEvent('em_2', 'email.delivered')];
    await bench.callbacks.publisher.publish([first, second]);
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'the second event', 20_000);
    expect(b.receiver.received.map((r) => r.id)).toEqual([...Array(8).fill(idOf(first)), idOf(second)]);
    expect(b.observer.count('retry')).toBe(7);
    expect(b.observer.count('failed')).toBe(1);
    await waitFor(async () => (await (await b.job(idOf(first)))!.getState()) === 'failed', 'the first job failed');
  });

  it('connection errors are retried and recorded', async () => {
    bench = await startBench({ retryScale: 0.01 });
    const b = bench;
    await b.receiver.close();
    await b.callbacks.publisher.publish([emailEvent('em_3', 'email.accepted')]);
    await waitFor(() => b.observer.count('retry') >= 1, 'a retry');
    expect((await b.callbacks.control.status()).lastError).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('410 switches callbacks off; events are kept, counted, and delivered in order once ops switch them on', async () => {
    bench = await startBench({ script: (n) => (n === 0 ? 410 : 204) });
    const [first, second] = [emailEvent('em_4', 'email.accepted'), emailEvent('em_4', 'email.delivered')];
    await bench.callbacks.publisher.publish([first, second]);
    const b = bench;
    const off = await waitFor(async () => {
      const s = await b.callbacks.control.status();
      return !s.enabled && s.paused && s.pending === 2 && s;
    }, 'callbacks off, with both events kept');
    expect(off).toMatchObject({ configured: true, whileDisabled: 'kept', disabledReason: expect.stringContaining('410') });
    expect(off.lastError).toMatchObject({ status: 410, msgId: idOf(first) });

    const later = emailEvent('em_5', 'email.bounced');
    await b.callbacks.publisher.publish([later]);
    await sleep(500);
    expect(b.receiver.received.map((r) => r.id)).toEqual([idOf(first)]);
    expect((await b.callbacks.control.status()).pending).toBe(3);
    expect(b.observer.count('disabled')).toBeGreaterThanOrEqual(1);

    const on = await b.callbacks.control.setEnabled(true, new Date().toISOString());
    expect(on).toMatchObject({ enabled: true, paused: false });
    expect(on).not.toHaveProperty('disabledAt');
    await waitFor(() => b.receiver.delivered().length === 3, 'the kept events');
    const ofEmail4 = b.receiver.delivered().filter((r) => r.payload.data.emailId === 'em_4');
    expect(ofEmail4.map((r) => r.id)).toEqual([idOf(first), idOf(second)]);
    await waitFor(async () => (await b.callbacks.control.status()).pending === 0, 'nothing pending');
  });

  it('ops can switch callbacks off by hand: nothing is sent, nothing is lost', async () => {
    bench = await startBench();
    const b = bench;
    const off = await b.callbacks.control.setEnabled(false, new Date().toISOString());
    expect(off).toMatchObject({ enabled: false, paused: true, disabledReason: 'switched off by ops' });
    await b.callbacks.publisher.publish([emailEvent('em_6', 'email.accepted')]);
    await sleep(300);
    expect(b.receiver.received).toEqual([]);
    await b.callbacks.control.setEnabled(true, new Date().toISOString());
    await waitFor(() => b.receiver.delivered().length === 1, 'delivered once on again');
  });
});
