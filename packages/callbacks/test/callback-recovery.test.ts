import net from 'node:net';
import IORedis from 'ioredis';
import pino from 'pino';
import { callbackJobOptions, CallbackOrder, createCallbacks, noCallbacks, QueueCallbackPublisher, createCallbackQueue } from '../src';
import { callbackPayload } from '@mailroom/domain';
import { Bench, emailEvent, idOf, RecordingObserver, startBench, waitFor } from './callback-bench';
import { testRedis } from './redis-prefix';

describe('callbacks after a crash between two steps', () => {
  let bench: Bench | undefined;
  afterEach(async () => {
    await bench?.stop();
    bench = undefined;
  });

  it('a publisher that died after adding the job but before registering it: the job wakes up and is delivered', async () => {
    bench = await startBench({ parkMs: 300 });
    const e = emailEvent('em_crash', 'email.accepted');
    const data = { msgId: idOf(e), orderKey: e.orderKey, type: e.type, body: JSON.stringify(callbackPayload(e)) };
    await bench.callbacks.queue.add(e.type, data, callbackJobOptions(data.msgId, 300));
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'delivered after its park');
    expect(b.receiver.received[0]).toMatchObject({ id: idOf(e), verifiedBy: [true] });
  });

  it("an event whose job was removed by hand does not block the email's next events", async () => {
    bench = await startBench({ parkMs: 300 });
    const [gone, next] = [emailEvent('em_rm', 'email.accepted'), emailEvent('em_rm', 'email.delivered')];
    // Both registered in order, but only the second has a job: the first was removed from the dashboard.
    const order = new CallbackOrder(bench.redis, { prefix: bench.prefix });
    await order.register(gone.orderKey, [idOf(gone), idOf(next)]);
    const data = { msgId: idOf(next), orderKey: next.orderKey, type: next.type, body: JSON.stringify(callbackPayload(next)) };
    await bench.callbacks.queue.add(next.type, data, callbackJobOptions(data.msgId, 300));
    const b = bench;
    await waitFor(() => b.receiver.delivered().length === 1, 'the next event');
    expect(b.receiver.received.map((r) => r.id)).toEqual([idOf(next)]);
    await waitFor(async () => (await order.pending(next.orderKey)).length === 0, 'nothing pending');
  });

  it('a failed callback retried from the dashboard is delivered', async () => {
    bench = await startBench({ script: (n) => (n === 0 ? 422 : 204) });
    const e = emailEvent('em_retry', 'email.failed');
    await bench.callbacks.publisher.publish([e]);
    const b = bench;
    const job = await waitFor(async () => {
      const j = await b.job(idOf(e));
      return (await j?.getState()) === 'failed' && j;
    }, 'the failed job');
    await job.retry('failed');
    await waitFor(() => b.receiver.delivered().length === 1, 'delivered on retry');
    expect(b.receiver.received.map((r) => [r.id, r.answeredWith])).toEqual([
      [idOf(e), 422],
      [idOf(e), 204],
    ]);
  });
});

describe('publishing never holds up or breaks the caller', () => {
  it('without CALLBACK_URL nothing is queued and publish returns at once', async () => {
    const { redis, prefix, cleanup } = testRedis('no-url');
    const callbacks = createCallbacks({ redis, prefix, logger: pino({ level: 'silent' }) });
    expect(callbacks.publisher).toBe(noCallbacks);
    const started = Date.now();
    await callbacks.publisher.publish([emailEvent('em_x', 'email.accepted')]);
    expect(Date.now() - started).toBeLessThan(50);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    expect((await callbacks.control.status()).configured).toBe(false);
    await callbacks.close();
    await cleanup();
  });

  it('with Redis not answering, publish returns within its time limit, logs and counts the loss, and never throws', async () => {
    // A server that takes the connection and never answers: every command waits.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const redis = new IORedis(`redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, {
      maxRetriesPerRequest: null,
      enableReadyCheck: false,
    });
    redis.on('error', () => undefined);
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => void lines.push(l) });
    const observer = new RecordingObserver();
    const queue = createCallbackQueue(redis, 'unreachable');
    queue.on('error', () => undefined);
    const publisher = new QueueCallbackPublisher({
      queue,
      order: new CallbackOrder(redis, { prefix: 'unreachable' }),
      logger,
      observer,
      timeoutMs: 200,
    });
    const started = Date.now();
    await expect(publisher.publish([emailEvent('em_y', 'email.accepted'), emailEvent('em_y', 'email.delivered')])).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(observer.unpublished).toEqual(['email.accepted', 'email.delivered']);
    expect(lines.join('')).toMatch(/callbacks not published/);
    redis.disconnect();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
});
