import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

/** A record whose job never made it to Redis (the API died in between) is found and sent anyway. */
describe('emails whose job went missing', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({ STUCK_SWEEP_EVERY_MS: '200', STUCK_AFTER_MS: '300' });
    await m.call('PUT', '/v1/tenants/lost', { name: 'Lost', plan: 'free' });
    await m.call('PUT', '/v1/tenants/lost/email-settings', { mode: 'platform', senderName: 'Lost', replyTo: 'l@lost.example' });
  });
  afterAll(() => m.stop());

  it('are re-enqueued by the worker sweep and delivered once', async () => {
    const id = (await m.call('POST', '/v1/tenants/lost/emails', { to: ['a@b.example'], subject: 's', text: 't' })).body.id;
    await waitForEmail(m, 'lost', id, SETTLED);
    // Simulate the crash window: the record exists, the job does not.
    await m.worker!.stop();
    await m.api.deps.queue.pause();
    const orphan = (await m.call('POST', '/v1/tenants/lost/emails', { to: ['c@d.example'], subject: 'orphan', text: 't' })).body.id;
    await (await m.api.deps.queue.getJob(orphan))!.remove();
    await m.api.deps.queue.resume();
    await m.startWorker();
    const email = await waitForEmail(m, 'lost', orphan, SETTLED, 10000);
    expect(email.status).toBe('accepted');
    expect(email.attempts).toHaveLength(1);
  });
});
