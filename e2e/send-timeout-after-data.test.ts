import type { RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const LOGIN = { user: 'billing@slow.example', password: 'slow-server-password' };

/**
 * A server that takes the whole message and then says nothing past SMTP_SOCKET_TIMEOUT_MS: the outcome
 * is unknown (it may deliver it), and the email is tried again. The history does not send the admin
 * to check the host and port; it says a duplicate is possible (decision 0078).
 */
describe('a server silent after the message', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  beforeAll(async () => {
    sink = await startTenantSink(LOGIN, { dataReplyDelayMs: 1500 });
    m = await startMailroom({ SMTP_SOCKET_TIMEOUT_MS: '400', RETRY_BASE_MS: '200', RETRY_MAX_MS: '200' });
    await putSmtpTenant(m, 'slow', sink, LOGIN);
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  it('is retried, and the history says the recipient may get it twice', async () => {
    const id = (await m.call('POST', '/v1/tenants/slow/emails', { to: ['client@customer.example'], subject: 'Invoice T-1', text: 't' }))
      .body.id;
    const deferred = await waitForEmail(m, 'slow', id, (e) => e.attempts.length > 0);
    expect(deferred.attempts[0]).toMatchObject({ ok: false, code: 'ETIMEDOUT', retryable: true, hintKey: 'smtp.stoppedAnswering' });
    expect(deferred.attempts[0].hint).toMatch(/may get it twice/);
    sink.behaviour.dataReplyDelayMs = 0;
    const sent = await waitForEmail(m, 'slow', id, (e) => e.status === 'accepted', 15_000);
    expect(sent.attempts.at(-1).ok).toBe(true);
    // The server had it the first time too: two copies, as the history warned.
    await sink.waitForMessages(2);
    expect(sink.messages.filter((msg) => msg.parsed.subject === 'Invoice T-1')).toHaveLength(2);
  });
});
