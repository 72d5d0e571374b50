import type { ChildProcess } from 'node:child_process';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { DedicatedRedis } from './support/dedicated-redis';
import { Mailroom, startMailroom, waitFor } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const EMAILS = 60;
const CONCURRENCY = 5;

/**
 * The fault test with real processes: the API in-process, a worker as its own OS process, a real SMTP
 * server, and a redis-server of the test's own. Emails are enqueued (each 202 counted), then Redis is
 * SIGKILLed and started again EMPTY on the same port while the worker runs: every job is gone. The
 * worker's sweep finds the emails that still wait (queued, sending) and adds their jobs again. Every
 * email accepted before the kill is delivered; duplicates are at most the jobs in flight at the kill.
 */
describe('Redis killed and restarted empty while the worker runs', () => {
  let redis: DedicatedRedis;
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    redis = await DedicatedRedis.start();
    m = await startMailroom(
      {
        REDIS_URL: redis.url,
        WORKER_CONCURRENCY: String(CONCURRENCY),
        WORKER_LOCK_MS: '3000',
        STUCK_SWEEP_EVERY_MS: '300',
        STUCK_AFTER_MS: '1500',
      },
      { worker: false },
    );
    sink = await tenantOnSmtpSink(m, 'outage');
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await m?.stop();
    await sink?.close();
    await redis?.kill();
  });

  it('loses no email accepted with 202, and delivers twice at most the jobs in flight', async () => {
    child = spawnWorkerProcess(m);
    const accepted: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      const r = await m.call('POST', '/v1/tenants/outage/emails', {
        to: [`c${i}@x.example`],
        subject: `Invoice ${i}`,
        text: 'x'.repeat(20_000),
      });
      if (r.status === 202) accepted.push(r.body.id);
    }
    expect(accepted).toHaveLength(EMAILS);
    await waitFor(async () => sink.messages.length >= 10, 'the worker process to deliver some emails', 30000, 5);

    await redis.kill();
    const deliveredAtKill = sink.messages.length;
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart(); // empty by construction: nothing was saved

    await waitFor(
      async () => {
        const r = await m.call('GET', '/v1/tenants/outage/emails?limit=200');
        return r.body.items.length === EMAILS && r.body.items.every((e: any) => e.status === 'accepted');
      },
      'every email accepted after the restart',
      60000,
      250,
    );
    const perEmail = new Map<string, number>();
    for (const msg of sink.messages) perEmail.set(msg.parsed.messageId!, (perEmail.get(msg.parsed.messageId!) ?? 0) + 1);
    const duplicates = [...perEmail.values()].filter((n) => n > 1).length;
    const lost = accepted.filter((id) => ![...perEmail.keys()].some((mid) => mid.startsWith(`<${id}@`))).length;
    console.log(
      `redis restart: enqueued ${accepted.length} (202), ${deliveredAtKill} delivered before SIGKILL, delivered ${perEmail.size}, duplicates ${duplicates}, lost ${lost}`,
    );
    expect(lost).toBe(0);
    expect(perEmail.size).toBe(EMAILS);
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
  }, 120000);
});
