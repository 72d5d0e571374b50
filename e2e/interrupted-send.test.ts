import type { ChildProcess } from 'node:child_process';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

/** How long the sink holds its answer to DATA: the window in which the worker is killed. */
const DATA_REPLY_DELAY_MS = 5000;

/**
 * A worker killed with SIGKILL in the middle of SMTP DATA: the server got the message but the worker
 * never heard its answer. Another worker takes the job back after WORKER_LOCK_MS and sends again, and
 * the history says so: the first attempt is `interrupted` (a duplicate is possible), then the accepted one.
 */
describe('a worker killed mid-DATA', () => {
  let m: Mailroom;
  let s: RunningSmtpSink;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    m = await startMailroom({ WORKER_LOCK_MS: '2000' }, { worker: false });
    s = await tenantOnSmtpSink(m, 'cut');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await m.stop();
    await s.close();
  });

  it('leaves an interrupted attempt in the history, then the accepted one', async () => {
    s.behaviour.dataReplyDelayMs = DATA_REPLY_DELAY_MS;
    const id = (await m.call('POST', '/v1/tenants/cut/emails', { to: ['a@x.example'], subject: 'Invoice 7', text: 'x' })).body.id;
    child = spawnWorkerProcess(m);
    await waitForEmail(m, 'cut', id, (e) => e.status === 'sending', 30000);
    // Logged in, so MAIL, RCPT and DATA follow at once: a moment later the message is on the wire, its answer held back.
    await waitFor(async () => s.authAttempts.length > 0, 'the worker to log in to the sink', 10000, 10);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.messages).toHaveLength(0);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    s.behaviour.dataReplyDelayMs = 0;

    await m.startWorker();
    const email = await waitForEmail(m, 'cut', id, (e) => e.status === 'accepted', 30000);
    expect(email.attempts).toEqual([
      expect.objectContaining({ ok: false, code: 'interrupted', retryable: true, hintKey: 'send.interrupted' }),
      expect.objectContaining({ ok: true }),
    ]);
    expect(email.attempts[0].hint).toMatch(/may or may not have received the message/);
    const types = email.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['queued', 'interrupted', 'accepted']);
    expect(email.events[1]).toMatchObject({ source: 'worker', key: 'worker:interrupted:1' });

    // What the history warns of: the server got the first copy too (its answer was held until after the kill).
    await waitFor(async () => s.messages.length === 2, 'the first copy to land as well', DATA_REPLY_DELAY_MS + 5000, 50);
    expect(new Set(s.messages.map((msg) => msg.parsed.messageId)).size).toBe(1);
  }, 90000);
});
