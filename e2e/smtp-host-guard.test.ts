import { CountingListener, RunningSmtpSink, startCountingListener, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const USER = 'billing@guarded.example';
const PASS = 'guarded-app-password';
/** What an internal service would say first: it must never reach a tenant. */
const BANNER = '220 redis-internal.corp ESMTP ready; secret build 7f3a';

/**
 * SSRF: a tenant's own SMTP host may only lead to public addresses (or ones the operator allows;
 * here 127.0.0.1 and ::1, the test servers). Refused on save, on a test of a draft, and again at
 * every connection, where DNS may have changed since: the refused address is never contacted.
 */
describe("a tenant's SMTP host cannot reach inside the network", () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let inside: CountingListener;
  beforeAll(async () => {
    m = await startMailroom({ TEST_EMAIL_TIMEOUT_MS: '5000', TEST_EMAILS_PER_MINUTE: '50' });
    sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    // An "internal service" on another loopback address, on the very port the tenant names.
    inside = await startCountingListener({ host: '127.0.0.2', port: sink.port, banner: BANNER });
    m.dns.set('intranet.guarded.test', ['10.1.2.3']);
    m.dns.set('metadata.guarded.test', ['169.254.169.254']);
    m.dns.set('mixed.guarded.test', ['93.184.216.34', '192.168.1.1']);
    m.dns.set('inside.guarded.test', ['127.0.0.2']);
    await m.call('PUT', '/v1/tenants/guarded', { name: 'Guarded', plan: 'premium' });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
    await inside.close();
  });

  const settings = (host: string, port = sink.port) => ({
    mode: 'smtp',
    senderName: 'Guarded',
    replyTo: 'accounts@guarded.example',
    smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host, port, tls: false },
  });

  it.each([
    '127.0.0.2',
    '127.2',
    '0x7f000002',
    '[::ffff:127.0.0.2]',
    '0.0.0.0',
    '[::]',
    '10.0.0.5',
    '169.254.169.254',
    'intranet.guarded.test',
    'metadata.guarded.test',
    'mixed.guarded.test',
    'inside.guarded.test',
  ])('refuses %s on save with 400 smtp_host_not_allowed, storing nothing', async (host) => {
    const before = await m.call('GET', '/v1/tenants/guarded/email-settings');
    const r = await m.call('PUT', '/v1/tenants/guarded/email-settings', settings(host));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'smtp_host_not_allowed', details: [{ field: 'smtp.host', message: expect.any(String) }] });
    expect(r.body.error.message).toMatch(/^smtp\.host: .*(private|non-public)/);
    expect(JSON.stringify(r.body)).not.toMatch(/10\.1\.2\.3|192\.168\.1\.1|redis-internal/);
    expect((await m.call('GET', '/v1/tenants/guarded/email-settings')).body).toEqual(before.body);
    expect(inside.connections).toBe(0);
  });

  it('an unresolvable host is a 400 that says so', async () => {
    const r = await m.call('PUT', '/v1/tenants/guarded/email-settings', settings('nowhere.guarded.test'));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'smtp_host_unresolvable', details: [{ field: 'smtp.host' }] });
    expect(r.body.error.message).toMatch(/nowhere\.guarded\.test could not be resolved/);
  });

  it('a draft on the test route is refused the same way, before any record or connection', async () => {
    const history = async () => (await m.call('GET', '/v1/tenants/guarded/emails?test=true')).body.items.length;
    const before = await history();
    for (const host of ['127.0.0.2', 'inside.guarded.test']) {
      const r = await m.call('POST', '/v1/tenants/guarded/email-settings/test', settings(host));
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'smtp_host_not_allowed', details: [{ field: 'smtp.host' }] });
      expect(JSON.stringify(r.body)).not.toContain('redis-internal');
    }
    expect(await history()).toBe(before);
    expect(inside.connections).toBe(0);
  });

  it('checks again at connect time: after DNS rebinding the worker and the test email refuse, and never connect', async () => {
    // Saved while `localhost` pointed at the allowed test server (its certificate names localhost).
    m.dns.set('localhost', ['127.0.0.1']);
    const saved = await m.call('PUT', '/v1/tenants/guarded/email-settings', settings('localhost'));
    expect(saved.status).toBe(200);
    const ok = await m.call('POST', '/v1/tenants/guarded/email-settings/test', {});
    expect(ok.body).toMatchObject({ ok: true, to: USER });
    expect(await sink.waitForMessages(1)).toHaveLength(1);

    m.dns.set('localhost', ['127.0.0.2']);
    const test = await m.call('POST', '/v1/tenants/guarded/email-settings/test', {});
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, error: { code: 'smtp_host_not_allowed', hint: expect.stringMatching(/operator/) } });
    expect(JSON.stringify(test.body)).not.toContain('redis-internal');

    const id = (
      await m.call('POST', '/v1/tenants/guarded/emails', { to: ['client@customer.example'], subject: 'Invoice G-1', text: 'attached' })
    ).body.id;
    const email = await waitForEmail(m, 'guarded', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toEqual([expect.objectContaining({ ok: false, code: 'smtp_host_not_allowed', retryable: false })]);
    expect(JSON.stringify(email)).not.toContain('redis-internal');
    expect(inside.connections).toBe(0);
    expect(sink.messages).toHaveLength(1);
  });
});

describe("the platform's own relay is operator configuration, not tenant input", () => {
  it('reaches a relay on loopback with no address allowlisted', async () => {
    const relay = await startSmtpSink({ tls: 'none' });
    const m = await startMailroom({ SMTP_PRIVATE_HOSTS_ALLOWED: '', PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}` });
    try {
      await m.call('PUT', '/v1/tenants/plat', { name: 'Plat', plan: 'free' });
      await m.call('PUT', '/v1/tenants/plat/email-settings', { mode: 'platform', senderName: 'Plat', replyTo: 'owner@plat.example' });
      const id = (await m.call('POST', '/v1/tenants/plat/emails', { to: ['client@customer.example'], subject: 'Invoice P-1', text: 'x' }))
        .body.id;
      expect((await waitForEmail(m, 'plat', id, SETTLED)).status).toBe('accepted');
      expect(await relay.waitForMessages(1)).toHaveLength(1);
      const refused = await m.call('PUT', '/v1/tenants/plat', { name: 'Plat', plan: 'premium' }).then(() =>
        m.call('PUT', '/v1/tenants/plat/email-settings', {
          mode: 'smtp',
          senderName: 'Plat',
          smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: relay.port, tls: false },
        }),
      );
      expect(refused.body.error.code).toBe('smtp_host_not_allowed');
    } finally {
      await m.stop();
      await relay.close();
    }
  });
});
