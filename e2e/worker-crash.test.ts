import type { ChildProcess } from 'node:child_process';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom, waitFor } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const EMAILS = 60;
const CONCURRENCY = 5;

/**
 * A worker killed with SIGKILL in the middle of a batch loses no email: once a worker is back, every
 * enqueued email ends accepted, and the emails delivered twice are at most the jobs that were in
 * flight (at-least-once delivery).
 */
describe('a worker killed mid-batch', () => {
  let m: Mailroom;
  let s: RunningSmtpSink;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    m = await startMailroom({ WORKER_CONCURRENCY: String(CONCURRENCY), WORKER_LOCK_MS: '3000' }, { worker: false });
    s = await tenantOnSmtpSink(m, 'crash');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await m.stop();
    await s.close();
  });

  it('loses nothing and delivers twice at most the in-flight jobs', async () => {
    const ids: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      const r = await m.call('POST', '/v1/tenants/crash/emails', {
        to: [`c${i}@x.example`],
        subject: `Invoice ${i}`,
        text: 'x'.repeat(20_000),
      });
      ids.push(r.body.id);
    }
    child = spawnWorkerProcess(m);
    await waitFor(async () => s.messages.length >= 10, 'the child worker to deliver some emails', 30000, 5);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const deliveredBeforeKill = s.messages.length;
    expect(deliveredBeforeKill).toBeLessThan(EMAILS);

    await m.startWorker();
    await waitFor(
      async () => {
        const r = await m.call('GET', '/v1/tenants/crash/emails?limit=200');
        return r.body.items.length === EMAILS && r.body.items.every((e: any) => e.status === 'accepted');
      },
      'every email accepted after the restart',
      40000,
      200,
    );
    const perEmail = new Map<string, number>();
    for (const msg of s.messages) perEmail.set(msg.parsed.messageId!, (perEmail.get(msg.parsed.messageId!) ?? 0) + 1);
    const twice = [...perEmail.values()].filter((n) => n > 1).length;
    console.log(
      `worker crash: ${EMAILS} emails, ${deliveredBeforeKill} delivered before SIGKILL, ${twice} delivered twice, ${EMAILS - perEmail.size} lost`,
    );
    expect(perEmail.size).toBe(EMAILS);
    expect(twice).toBeLessThanOrEqual(CONCURRENCY);
    // Every email delivered twice says so in its history: its first attempt was interrupted mid-send.
    const items = (await m.call('GET', '/v1/tenants/crash/emails?limit=200')).body.items;
    const toldInterrupted = new Set(
      items.filter((e: any) => e.attempts.some((a: any) => a.code === 'interrupted')).map((e: any) => e.messageId),
    );
    for (const [messageId, n] of perEmail) if (n > 1) expect(toldInterrupted).toContain(messageId);
  }, 90000);
});
