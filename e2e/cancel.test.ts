import { randomBytes } from 'node:crypto';
import { CallbackReceiver, RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const LOGIN = { user: 'billing@cancel.example', password: 'pw-cancel-0001' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * POST .../emails/:emailId/cancel, black-box: an email nobody accepted yet is stopped for good (its
 * job removed, nothing sent even once its next try is long past), the platform hears email.canceled,
 * and anything else is refused with the status. Retries are slow here (RETRY_BASE_MS 3 s), so a
 * deferred email stays deferred while the test cancels it.
 */
describe('canceling an email', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let receiver: CallbackReceiver;
  const base = '/v1/tenants/cx/emails';
  const send = async (subject: string, to = ['client@customer.example']) =>
    (await m.call('POST', base, { to, subject, text: 'Attached.', document: { type: 'invoice', id: subject } })).body.id as string;
  const cancel = (id: string, tenant = 'cx') => m.call('POST', `/v1/tenants/${tenant}/emails/${id}/cancel`);
  const jobState = async (id: string) => (await m.api.deps.queue.getJobState(id)) as string;

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET]);
    sink = await startTenantSink(LOGIN);
    m = await startMailroom(
      { RETRY_BASE_MS: '3000', CALLBACK_URL: receiver.url, CALLBACK_SECRETS: SECRET, CALLBACK_RETRY_SCALE: '0.001' },
      { worker: false },
    );
    await putSmtpTenant(m, 'cx', sink, LOGIN, { name: 'Cancel Co' });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
    await receiver.close();
  });

  it('a queued email (no worker yet) is canceled: 200 with the record, its job gone, nothing sent once workers run', async () => {
    const id = await send('Q-1');
    expect(await jobState(id)).toBe('waiting');
    const r = await cancel(id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id,
      status: 'canceled',
      recipients: [{ email: 'client@customer.example', status: 'canceled' }],
      events: expect.arrayContaining([expect.objectContaining({ type: 'canceled', source: 'api' })]),
    });
    expect(await jobState(id)).toBe('unknown');
    // A repeated cancel answers the canceled email as it is.
    const again = await cancel(id);
    expect([again.status, again.body.status, again.body.updatedAt]).toEqual([200, 'canceled', r.body.updatedAt]);

    await m.startWorker();
    const after = await send('Q-2');
    await waitForEmail(m, 'cx', after, (e) => e.status === 'accepted');
    expect(sink.messages.map((msg) => msg.parsed.subject)).toEqual(['Q-2']);
    expect((await m.call('GET', `${base}/${id}`)).body.status).toBe('canceled');
  });

  it('a deferred email (the server answers 421) is canceled and sends nothing, even after its next try has passed', async () => {
    sink.clear();
    // 421 at the end of DATA: the server refuses this message for now (a pooled connection sees it too).
    sink.behaviour.onDataReply = (msg) => (msg.parsed.subject === 'D-1' ? '421 4.3.2 Service not available, try again later' : undefined);
    const id = await send('D-1');
    const deferred = await waitForEmail(m, 'cx', id, (e) => e.status === 'deferred');
    expect(deferred.nextAttemptAt).toEqual(expect.any(String));
    // The worker records the deferral in the store first, then BullMQ moves the job to delayed: a moment apart.
    await waitFor(async () => (await jobState(id)) === 'delayed', 'the deferred job to be delayed in the queue', 5000, 5);
    const r = await cancel(id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'canceled', recipients: [{ status: 'canceled' }] });
    expect(r.body.nextAttemptAt).toBeUndefined();
    expect(await jobState(id)).toBe('unknown');

    // The server takes it now; the canceled email's next try would have been at nextAttemptAt.
    sink.behaviour.onDataReply = undefined;
    await sleep(Math.max(0, Date.parse(deferred.nextAttemptAt) - Date.now()) + 2000);
    expect(sink.messages).toEqual([]);
    expect(sink.refusedMessages.map((msg) => msg.parsed.subject)).toEqual(['D-1']);
    const final = (await m.call('GET', `${base}/${id}`)).body;
    expect(final).toMatchObject({ status: 'canceled', attempts: [{ ok: false, responseCode: 421 }] });

    // The platform heard it was delayed, then canceled, in that order.
    const told = await waitFor(async () => {
      const mine = receiver.delivered().filter((c) => c.payload.data.emailId === id);
      return mine.length === 2 && mine;
    }, 'the deferred and canceled callbacks');
    expect(told.map((c) => [c.payload.type, c.payload.data.status, c.verifiedBy])).toEqual([
      ['email.deferred', 'deferred', [true]],
      ['email.canceled', 'canceled', [true]],
    ]);
  });

  it('an email being sent right now is refused (409 email_sending) and left to finish', async () => {
    sink.clear();
    sink.behaviour.dataReplyDelayMs = 3000;
    try {
      const id = await send('S-1');
      await waitFor(async () => (await jobState(id)) === 'active' && sink.connections.length > 0, 'the send on the wire');
      const r = await cancel(id);
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'email_sending', details: { status: 'sending' } });
      const sent = await waitForEmail(m, 'cx', id, SETTLED);
      expect(sent.status).toBe('accepted');
    } finally {
      sink.behaviour.dataReplyDelayMs = 0;
    }
  });

  it('anything already accepted (or failed, or unknown) is refused with its status', async () => {
    const id = await send('A-1');
    await waitForEmail(m, 'cx', id, (e) => e.status === 'accepted');
    const r = await cancel(id);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'email_not_cancelable', details: { status: 'accepted' } });
    expect(r.body.error.message).toMatch(/is accepted/);
    expect((await cancel('em_000000000000deadbeefdeadbeef')).status).toBe(404);
    expect((await cancel(id, 'no-such-tenant')).status).toBe(404);
    expect((await m.call('GET', `${base}/${id}`)).body.status).toBe('accepted');
  });
});
