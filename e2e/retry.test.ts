import { UnrecoverableError, Worker } from 'bullmq';
import { createRedisConnection, SEND_QUEUE, SendJobData } from '@mailroom/queue';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const USER = 'billing@retry.example';
const PASS = 'the-right-password';

/**
 * Nothing stays failed for want of a retry: the API re-opens a failed email on the same record, and
 * a retry from the ops dashboard (bull-board calls BullMQ's job.retry) delivers it too.
 */
describe('retrying a failed email', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  beforeAll(async () => {
    sink = await startTenantSink({ user: USER, password: PASS });
    // A temporary failure's next attempt is far off (10 minutes): only a promotion brings it forward.
    m = await startMailroom({ RETRY_BASE_MS: '600000', RETRY_MAX_MS: '600000' });
    await m.call('PUT', '/v1/tenants/rt', { name: 'Retry Co', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/other', { name: 'Other Co', plan: 'free', email: 'o@other.example' });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  const saveSmtp = (password: string) => putSmtpTenant(m, 'rt', sink, { user: USER, password }, { name: 'Retry Co' });

  /** An email that failed for good: the server refused the login. */
  async function failedEmail(subject: string): Promise<string> {
    await saveSmtp('a-wrong-password');
    const id = (await m.call('POST', '/v1/tenants/rt/emails', { to: ['client@customer.example'], subject, text: 'Attached.' })).body.id;
    const failed = await waitForEmail(m, 'rt', id, SETTLED);
    expect(failed).toMatchObject({ status: 'failed', attempts: [{ code: 'EAUTH', retryable: false }] });
    return id;
  }

  it('after fixing the password, POST .../retry re-opens the same record with a new attempt and delivers it', async () => {
    const id = await failedEmail('Invoice R-1');
    await saveSmtp(PASS);
    const r = await m.call('POST', `/v1/tenants/rt/emails/${id}/retry`);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id, status: 'queued' });
    expect(r.headers.get('location')).toBe(`/v1/tenants/rt/emails/${id}`);

    const sent = await waitForEmail(m, 'rt', id, (e) => e.status === 'accepted');
    expect(sent.attempts.map((a: any) => a.ok)).toEqual([false, true]);
    expect(sent.events.map((e: any) => e.key)).toEqual(
      expect.arrayContaining(['api:queued', 'retry:1', 'worker:accepted:client@customer.example']),
    );
    const [msg] = await sink.waitForMessages(1);
    expect(msg.parsed.subject).toBe('Invoice R-1');
    expect(msg.parsed.messageId).toBe(sent.messageId);
  });

  it('answers 409 naming the status for an email that did not fail, 404 for an unknown one', async () => {
    const accepted = (await m.call('GET', '/v1/tenants/rt/emails?status=accepted')).body.items[0];
    const r = await m.call('POST', `/v1/tenants/rt/emails/${accepted.id}/retry`);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'email_not_failed', details: { status: 'accepted' } });
    expect(r.body.error.message).toMatch(/is accepted: only a failed email can be retried/);
    const unknown = await m.call('POST', '/v1/tenants/rt/emails/em_nothing/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('email_not_found');
  });

  it('a test email is not retried (a new test is the way), and tenant tokens reach their own emails only', async () => {
    await saveSmtp('a-wrong-password');
    const test = await m.call('POST', '/v1/tenants/rt/email-settings/test', {});
    expect(test.body.ok).toBe(false);
    const r = await m.call('POST', `/v1/tenants/rt/emails/${test.body.emailId}/retry`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('test_email_not_retryable');

    const id = await failedEmail('Invoice R-2');
    const otherToken = (await m.call('POST', '/v1/tenants/other/tokens')).body.token;
    const foreign = await m.call('POST', `/v1/tenants/rt/emails/${id}/retry`, undefined, { token: otherToken });
    expect(foreign.status).toBe(403);
    // Nor through its own path: the email is not the other tenant's.
    expect((await m.call('POST', `/v1/tenants/other/emails/${id}/retry`, undefined, { token: otherToken })).status).toBe(404);

    await saveSmtp(PASS);
    const ownToken = (await m.call('POST', '/v1/tenants/rt/tokens')).body.token;
    const own = await m.call('POST', `/v1/tenants/rt/emails/${id}/retry`, undefined, { token: ownToken });
    expect(own.status).toBe(202);
    await waitForEmail(m, 'rt', id, (e) => e.status === 'accepted');
  });

  it("the dashboard's retry of a failed job (bull-board's own route, which calls job.retry) delivers the email", async () => {
    const id = await failedEmail('Invoice R-3');
    expect(await (await m.api.deps.queue.getJob(id))!.getState()).toBe('failed');
    await saveSmtp(PASS);
    const dashboard = await fetch(`${m.api.url}/ops/dashboard/api/queues/send/${id}/retry`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}` },
    });
    expect(dashboard.status).toBe(204);
    const sent = await waitForEmail(m, 'rt', id, (e) => e.status === 'accepted');
    expect(sent.attempts.map((a: any) => a.ok)).toEqual([false, true]);
    expect(sent.events.find((e: any) => e.key === 'retry:1')).toMatchObject({ type: 'queued', source: 'worker' });
  });

  it("once the server is back, promoting a waiting retry on the dashboard (the runbook's step) sends it now", async () => {
    await saveSmtp(PASS);
    sink.behaviour.onDataReply = '451 4.3.0 Try again later';
    const id = (
      await m.call('POST', '/v1/tenants/rt/emails', { to: ['client@customer.example'], subject: 'Invoice R-4', text: 'Attached.' })
    ).body.id;
    const deferred = await waitForEmail(m, 'rt', id, (e) => e.status === 'deferred');
    expect(Date.parse(deferred.nextAttemptAt) - Date.now()).toBeGreaterThan(60_000);
    expect(await (await m.api.deps.queue.getJob(id))!.getState()).toBe('delayed');
    sink.behaviour.onDataReply = undefined;
    const promoted = await fetch(`${m.api.url}/ops/dashboard/api/queues/send/${id}/promote`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}` },
    });
    expect(promoted.status).toBe(204);
    const sent = await waitForEmail(m, 'rt', id, (e) => e.status === 'accepted');
    expect(sent.attempts.map((a: any) => a.ok)).toEqual([false, true]);
    expect(sent.recipients[0].nextAttemptAt).toBeUndefined();
  });

  it('a retry asked for while the failed job is still held by its worker waits for it, then sends (decision 0078)', async () => {
    const id = await failedEmail('Invoice R-5');
    await saveSmtp(PASS);
    // The moment between the worker's "failed" write and BullMQ moving its job to failed, held open:
    // the real worker stops, the job runs again on a worker of ours that keeps it active.
    await m.worker!.stop();
    const connection = createRedisConnection(m.config.redisUrl);
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const holder = new Worker<SendJobData>(
      SEND_QUEUE,
      async () => {
        await held;
        throw new UnrecoverableError('the worker recorded the failure');
      },
      { connection, prefix: m.config.queuePrefix },
    );
    try {
      await (await m.api.deps.queue.getJob(id))!.retry();
      await waitFor(async () => ((await m.api.deps.queue.getJobState(id)) === 'active' ? true : undefined), 'the job to be held');
      const retried = m.call('POST', `/v1/tenants/rt/emails/${id}/retry`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Let go, and close at once, so our worker takes no job after this one (it would fail the retry's).
      letGo();
      const closed = holder.close();
      expect((await retried).status).toBe(202);
      await closed;
    } finally {
      await holder.close();
      connection.disconnect();
    }
    await m.startWorker();
    const sent = await waitForEmail(m, 'rt', id, (e) => e.status === 'accepted', 10_000);
    expect(sent.attempts.map((a: any) => a.ok)).toEqual([false, true]);
  });
});

/** Content retention deleted the body of a failed email: it cannot be sent again, and says so. */
describe('retrying an email whose content retention deleted', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  beforeAll(async () => {
    sink = await startTenantSink({ user: USER, password: PASS });
    m = await startMailroom({ CONTENT_RETENTION_SECONDS: '1', RETENTION_SWEEP_EVERY_MS: '200' });
    await putSmtpTenant(m, 'rt-old', sink, { user: USER, password: 'a-wrong-password' }, { name: 'Old Co' });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  it('answers 410 content_purged and leaves it failed', async () => {
    const id = (await m.call('POST', '/v1/tenants/rt-old/emails', { to: ['c@customer.example'], subject: 'Old', text: 't' })).body.id;
    await waitForEmail(m, 'rt-old', id, (e) => e.status === 'failed' && e.contentPurgedAt !== undefined, 15000);
    const r = await m.call('POST', `/v1/tenants/rt-old/emails/${id}/retry`);
    expect(r.status).toBe(410);
    expect(r.body.error).toMatchObject({ code: 'content_purged', message: expect.stringMatching(/enqueue the document again/) });
    expect((await m.call('GET', `/v1/tenants/rt-old/emails/${id}`)).body.status).toBe('failed');
  });
});
