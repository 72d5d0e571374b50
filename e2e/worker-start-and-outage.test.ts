import net from 'node:net';
import { Writable } from 'node:stream';
import { RedisServerProcess, startRedisServer } from '@mailroom/testkit';
import { startWorker } from '@mailroom/worker';
import pino from 'pino';
import { Mailroom, startMailroom, waitFor } from './support/mailroom-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Log lines as parsed JSON, from every app the harness starts. */
function logCapture() {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('the worker takes no job before its port is bound', () => {
  let m: Mailroom;
  let taken: net.Server;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
    await m.call('PUT', '/v1/tenants/wp', { name: 'WP', plan: 'free' });
    await m.call('PUT', '/v1/tenants/wp/email-settings', { mode: 'platform', senderName: 'WP', replyTo: 'billing@wp.example' });
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((r) => taken.close(r));
    await m.stop();
  });

  it('a taken WORKER_PORT fails the start (EADDRINUSE) with the waiting job still waiting', async () => {
    const sent = await m.call('POST', '/v1/tenants/wp/emails', {
      to: ['client@customer.example'],
      subject: 'Port',
      text: 'Attached.',
      document: { type: 'invoice', id: 'P-1' },
    });
    const id = (sent.body as { id: string }).id;
    expect(await m.api.deps.queue.getJobState(id)).toBe('waiting');
    const port = (taken.address() as net.AddressInfo).port;
    const config = { ...m.config, ports: { ...m.config.ports, worker: port } };
    await expect(startWorker(config, { logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await sleep(1000); // a worker left running would have taken it by now
    expect(await m.api.deps.queue.getJobState(id)).toBe('waiting');
    expect((await m.call('GET', `/v1/tenants/wp/emails/${id}`)).body).toMatchObject({ status: 'queued' });
  });
});

describe('a Redis outage under the worker', () => {
  let redis: RedisServerProcess;
  let m: Mailroom;
  const log = logCapture();
  beforeAll(async () => {
    redis = await startRedisServer();
    m = await startMailroom({ REDIS_URL: redis.url }, { logStream: log.stream, logLevel: 'debug' });
  });
  afterAll(async () => {
    // Not bounded: a stop after a Redis restart finishes (worker-stop-after-redis-outage.test.ts).
    await m.stop();
    await redis.close();
  }, 20_000);

  it('logs one warning, its reconnect errors at debug, no error lines, and a line when Redis is back', async () => {
    const before = log.lines.length;
    await redis.stop();
    await sleep(6000);
    await redis.start();
    await waitFor(
      async () => m.worker!.worker.isRunning() && log.lines.slice(before).some((l) => l.msg === 'redis connection is back'),
      'Redis to be back',
      15_000,
    );
    const during = log.lines.slice(before);
    expect(during.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    expect(during.filter((l) => l.level === 40 && /redis connection lost/.test(l.msg)).length).toBeGreaterThanOrEqual(1);
    expect(during.some((l) => l.level === 20 && l.msg === 'worker: redis not reachable')).toBe(true);
  }, 40_000);
});
