import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const LOGIN = { user: 'billing@down.example', password: 'pw-down-smtp' };

/**
 * A plan downgrade is enforced at send, not only at save: a tenant in smtp mode whose plan no longer
 * allows it sends through the platform (From = the platform address with the tenant's name, Reply-To
 * = the tenant), the history and the settings answer say so, and its own server is never contacted.
 */
describe('a tenant whose plan no longer allows its own SMTP server', () => {
  let m: Mailroom;
  let platform: RunningSmtpSink;
  let own: RunningSmtpSink;
  beforeAll(async () => {
    [platform, own] = await Promise.all([startSmtpSink({ tls: 'starttls' }), startTenantSink(LOGIN)]);
    m = await startMailroom(
      { PLATFORM_TRANSPORT: `smtp://127.0.0.1:${platform.port}`, PLATFORM_FROM: 'documents@platform.example' },
      { worker: false },
    );
    await putSmtpTenant(m, 'down', own, LOGIN, {
      name: 'Down Co',
      tenant: { email: 'office@down.example' },
      settings: { senderName: 'Down Co Billing' },
    });
  });
  afterAll(async () => {
    await m.stop();
    await platform.close();
    await own.close();
  });

  const send = async (subject: string) => {
    const r = await m.call('POST', '/v1/tenants/down/emails', { to: ['client@customer.example'], subject, text: 'Attached.' });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  it('an email queued on the premium plan and sent after the downgrade goes through the platform only', async () => {
    const queuedBefore = await send('Invoice D-1');
    expect((await m.call('GET', `/v1/tenants/down/emails/${queuedBefore}`)).body.transport).toEqual({ mode: 'smtp' });
    await m.call('PUT', '/v1/tenants/down', { name: 'Down Co', plan: 'basic' });
    const queuedAfter = await send('Invoice D-2');
    expect((await m.call('GET', `/v1/tenants/down/emails/${queuedAfter}`)).body.transport).toEqual({
      mode: 'platform',
      reason: 'plan_fallback',
    });

    await m.startWorker();
    for (const id of [queuedBefore, queuedAfter]) {
      const email = await waitForEmail(m, 'down', id, SETTLED);
      expect(email).toMatchObject({ status: 'accepted', transport: { mode: 'platform', reason: 'plan_fallback' } });
    }
    const messages = await platform.waitForMessages(2);
    for (const msg of messages) {
      expect(msg.parsed.from!.value).toEqual([{ address: 'documents@platform.example', name: 'Down Co Billing' }]);
      expect(msg.parsed.replyTo!.value[0].address).toBe('office@down.example');
    }
    // Nothing went out, nor even tried to, through the server the plan does not allow.
    expect(own.messages).toEqual([]);
    expect(own.connections).toEqual([]);
  });

  it('the settings answer keeps what was saved, says where mail goes, and warns with plan_fallback', async () => {
    const r = await m.call('GET', '/v1/tenants/down/email-settings');
    expect(r.body).toMatchObject({
      configured: true,
      mode: 'smtp',
      smtp: { hasPassword: true },
      transport: { mode: 'platform', reason: 'plan_fallback' },
      allowedModes: ['platform', 'provider'],
    });
    expect(r.body.warnings).toContainEqual({ code: 'plan_fallback', message: expect.stringMatching(/basic plan does not allow/) });
  });

  it('the test email goes through the platform too, to the tenant', async () => {
    const r = await m.call('POST', '/v1/tenants/down/email-settings/test', {});
    expect(r.body).toMatchObject({ ok: true, to: 'office@down.example' });
    expect((await m.call('GET', `/v1/tenants/down/emails/${r.body.emailId}`)).body.transport).toEqual({
      mode: 'platform',
      reason: 'plan_fallback',
    });
    expect(own.connections).toEqual([]);
  });

  it('back on a plan that allows it, the tenant sends through its own server again', async () => {
    await m.call('PUT', '/v1/tenants/down', { name: 'Down Co', plan: 'advanced' });
    const id = await send('Invoice D-3');
    expect(await waitForEmail(m, 'down', id, SETTLED)).toMatchObject({ status: 'accepted', transport: { mode: 'smtp' } });
    const [msg] = await own.waitForMessages(1);
    expect(msg.parsed.from!.value[0].address).toBe(LOGIN.user);
    expect((await m.call('GET', '/v1/tenants/down/email-settings')).body.warnings).toEqual([]);
  });
});
