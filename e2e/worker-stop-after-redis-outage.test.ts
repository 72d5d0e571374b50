import { Writable } from 'node:stream';
import { RedisServerProcess, RunningSmtpSink, startRedisServer } from '@mailroom/testkit';
import { Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a drain may take here: the send in hand (the sink answers DATA late), then the close. */
const STOP_BOUND_MS = 10_000;

/**
 * SIGTERM drains (README): the worker stops taking jobs, finishes the sends in hand and exits. It must
 * still do so when Redis went away while it ran: BullMQ's blocking connection may then be between two
 * reconnect attempts, and closing it there used to wait forever (bullmq#4656, redis-connection.ts).
 */
describe.each([
  ['just after Redis is back', 'after'],
  ['while Redis is away, Redis back later', 'during'],
] as const)('the worker stopped %s', (_title, when) => {
  let redis: RedisServerProcess;
  let m: Mailroom;
  let sink: RunningSmtpSink;
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push((JSON.parse(l) as { msg: string }).msg);
      done();
    },
  });
  beforeAll(async () => {
    redis = await startRedisServer();
    // The sink answers DATA after 9 s: the socket timeout must not end that send first.
    m = await startMailroom({ REDIS_URL: redis.url, SMTP_SOCKET_TIMEOUT_MS: '20000' }, { logStream, logLevel: 'info' });
    sink = await tenantOnSmtpSink(m, 'outage');
  });
  afterAll(async () => {
    await Promise.race([m.stop(), sleep(STOP_BOUND_MS)]);
    await sink.close();
    await redis.close();
  }, 30_000);

  it('finishes the send in hand and returns within the bound', async () => {
    sink.behaviour.dataReplyDelayMs = 9000;
    const sent = await m.call('POST', '/v1/tenants/outage/emails', { to: ['c@x.example'], subject: 'In hand', text: 'x' });
    const id = (sent.body as { id: string }).id;
    await waitForEmail(m, 'outage', id, (e) => e.status === 'sending');
    const before = lines.length;
    await redis.stop();
    await sleep(4000);
    let stopped: Promise<unknown>;
    if (when === 'after') {
      await redis.start();
      await waitFor(async () => lines.slice(before).includes('redis connection is back'), 'the worker to see Redis back', 15_000, 20);
      stopped = m.worker!.stop();
    } else {
      stopped = m.worker!.stop();
      await sleep(1000);
      await redis.start();
    }
    const t0 = Date.now();
    const outcome = await Promise.race([stopped.then(() => 'stopped'), sleep(STOP_BOUND_MS).then(() => 'still stopping')]);
    expect({ outcome, withinMs: outcome === 'stopped' ? Date.now() - t0 <= STOP_BOUND_MS : false }).toEqual({
      outcome: 'stopped',
      withinMs: true,
    });
    m.worker = undefined; // stopped: the harness's stop() must not stop it again
    expect(sink.messages).toHaveLength(1);
    expect((await m.call('GET', `/v1/tenants/outage/emails/${id}`)).body).toMatchObject({ status: 'accepted' });
  }, 60_000);
});
