import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { CallbackReceiver, RunningSmtpSink } from '@mailroom/testkit';
import { startCallbackReceiver } from './support/callback-bodies';
import { Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
/** How long the sink holds its answer to DATA: every run of the job is killed inside it. */
const DATA_REPLY_DELAY_MS = 8000;
/** The worker's maxStalledCount (worker-server.ts) is 5: the sixth stall fails the job for good. */
const RUNS = 6;
const STALLED = 'job stalled more than allowable limit';

/**
 * A job BullMQ gives up on as stalled too often: six real worker processes in turn take it and are
 * killed with SIGKILL in the middle of SMTP DATA, and the next worker's stalled check fails it. Each
 * run finds the one before it interrupted; the last interrupted attempt is recorded by the sweep as it
 * marks the email failed (`EJOB`), saying it was not sent again (decision 0064). The server holds a
 * copy of every run, and the platform hears the failure only, as before.
 */
describe('a job stalled too often, each run killed mid-DATA', () => {
  let m: Mailroom;
  let s: RunningSmtpSink;
  let receiver: CallbackReceiver;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET], () => 204);
    m = await startMailroom(
      {
        WORKER_LOCK_MS: '2000',
        STUCK_SWEEP_EVERY_MS: '200',
        STUCK_AFTER_MS: '300',
        CALLBACK_URL: receiver.url,
        CALLBACK_SECRETS: SECRET,
        CALLBACK_RETRY_SCALE: '0.001',
      },
      { worker: false },
    );
    s = await tenantOnSmtpSink(m, 'stalled');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await m.stop();
    await s.close();
    await receiver.close();
  });

  it('ends failed with every interrupted attempt in the history, the last one not sent again', async () => {
    s.behaviour.dataReplyDelayMs = DATA_REPLY_DELAY_MS;
    const id = (await m.call('POST', '/v1/tenants/stalled/emails', { to: ['a@x.example'], subject: 'Invoice 9', text: 'x' })).body.id;
    for (let run = 1; run <= RUNS; run++) {
      child = spawnWorkerProcess(m);
      // Each process logs in once; MAIL, RCPT and DATA follow at once, and DATA's answer is held.
      await waitFor(async () => s.authAttempts.length >= run, `run ${run} to log in to the sink`, 30000, 10);
      await new Promise((r) => setTimeout(r, 500));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    const job = await m.api.deps.queue.getJob(id);
    expect(await job!.getState()).toBe('active');

    await m.startWorker();
    const email = await waitForEmail(m, 'stalled', id, (e) => e.status === 'failed', 30000);
    expect(await (await m.api.deps.queue.getJob(id))!.getState()).toBe('failed');
    expect(email.recipients).toEqual([expect.objectContaining({ status: 'failed', reason: STALLED })]);
    expect(email.attempts.map((a: { code: string; hintKey: string }) => [a.code, a.hintKey])).toEqual([
      ...Array.from({ length: RUNS - 1 }, () => ['interrupted', 'send.interrupted']),
      ['interrupted', 'send.interruptedNotSentAgain'],
    ]);
    expect(email.attempts.at(-1).hint).toMatch(/may or may not have received the message\. It was not sent again/);
    expect(email.events.map((e: { type: string; key: string }) => [e.type, e.key])).toEqual([
      ['queued', 'api:queued'],
      ...Array.from({ length: RUNS }, (_, i) => ['interrupted', `worker:interrupted:${i + 1}`]),
      ['failed', 'worker:gave-up:1'],
    ]);
    expect(email.events.at(-1).reason).toBe(`EJOB: ${STALLED}`);

    // What the history warns of: the server got a copy from every run, one Message-ID.
    await waitFor(async () => s.messages.length === RUNS, 'every held copy to land', DATA_REPLY_DELAY_MS + 10000, 50);
    expect(new Set(s.messages.map((msg) => msg.parsed.messageId)).size).toBe(1);

    // The platform hears the failure with the give-up's reason, as before: nothing of the interruptions.
    const callbacks = () => receiver.delivered().filter((r) => r.payload.data.emailId === id);
    await waitFor(async () => callbacks().length > 0, 'the failed callback', 15000, 50);
    await new Promise((r) => setTimeout(r, 500));
    expect(callbacks().map((r) => [r.payload.type, r.payload.data.reply])).toEqual([['email.failed', { response: STALLED }]]);
  }, 240000);
});
