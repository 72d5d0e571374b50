import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { CallbackReceiver, RunningSmtpSink } from '@mailroom/testkit';
import { startCallbackReceiver } from './support/callback-bodies';
import { Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
/** How long the sink holds its answer to the retry's DATA: the window in which the worker is killed. */
const DATA_REPLY_DELAY_MS = 5000;
const GREYLISTED = '451 4.7.1 Greylisted, try again later';

/**
 * The retry of a `deferred` email, its worker killed with SIGKILL in the middle of SMTP DATA: the
 * recipient stays `deferred` during that attempt, and the attempt in flight is still found by the next
 * one (decision 0064). The history shows the 451, the interrupted retry, then the accepted one; the
 * platform hears what it hears of any deferral followed by a success, and nothing of the interruption.
 */
describe('a deferred email whose retry is killed mid-DATA', () => {
  let m: Mailroom;
  let s: RunningSmtpSink;
  let receiver: CallbackReceiver;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET], () => 204);
    m = await startMailroom(
      {
        WORKER_LOCK_MS: '2000',
        RETRY_BASE_MS: '1000',
        CALLBACK_URL: receiver.url,
        CALLBACK_SECRETS: SECRET,
        CALLBACK_RETRY_SCALE: '0.001',
      },
      { worker: false },
    );
    s = await tenantOnSmtpSink(m, 'cut-retry');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await m.stop();
    await s.close();
    await receiver.close();
  });

  it('leaves the deferral, an interrupted attempt and the accepted one in the history, and no new callback', async () => {
    // The first DATA is refused for now (451); every DATA after it is held, so the retry stays in flight.
    s.behaviour.onDataReply = () => {
      if (s.refusedMessages.length > 0) return undefined;
      s.behaviour.dataReplyDelayMs = DATA_REPLY_DELAY_MS;
      return GREYLISTED;
    };
    const id = (await m.call('POST', '/v1/tenants/cut-retry/emails', { to: ['a@x.example'], subject: 'Invoice 8', text: 'x' })).body.id;
    child = spawnWorkerProcess(m);
    const deferred = await waitForEmail(m, 'cut-retry', id, (e) => e.status === 'deferred', 30000);
    expect(deferred.attempts).toEqual([expect.objectContaining({ ok: false, responseCode: 451 })]);
    // The retry started (markSending wrote its mark: a new updatedAt, still deferred); a moment later its DATA is held.
    await waitForEmail(m, 'cut-retry', id, (e) => e.status === 'deferred' && e.updatedAt > deferred.updatedAt, 30000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.messages).toHaveLength(0);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    s.behaviour.dataReplyDelayMs = 0;

    await m.startWorker();
    const email = await waitForEmail(m, 'cut-retry', id, (e) => e.status === 'accepted', 30000);
    expect(email.attempts).toEqual([
      expect.objectContaining({ ok: false, responseCode: 451 }),
      expect.objectContaining({ ok: false, code: 'interrupted', retryable: true, hintKey: 'send.interrupted' }),
      expect.objectContaining({ ok: true }),
    ]);
    expect(email.events.map((e: { type: string; key: string }) => [e.type, e.key])).toEqual([
      ['queued', 'api:queued'],
      ['deferred', 'worker:attempt:1'],
      ['interrupted', 'worker:interrupted:2'],
      ['accepted', 'worker:accepted:a@x.example'],
    ]);
    expect(email).not.toHaveProperty('attemptInFlightSince');

    // What the history warns of: the server got the interrupted retry's copy too.
    await waitFor(async () => s.messages.length === 2, 'the held copy to land as well', DATA_REPLY_DELAY_MS + 5000, 50);
    expect(new Set(s.messages.map((msg) => msg.parsed.messageId)).size).toBe(1);

    // The platform hears the deferral and the acceptance, as of any retry that went through: nothing of the interruption.
    const types = () => receiver.delivered().filter((r) => r.payload.data.emailId === id);
    await waitFor(async () => types().some((r) => r.payload.type === 'email.accepted'), 'the accepted callback', 15000, 50);
    expect(types().map((r) => [r.payload.type, r.payload.data.status])).toEqual([
      ['email.deferred', 'deferred'],
      ['email.accepted', 'accepted'],
    ]);
  }, 120000);
});
