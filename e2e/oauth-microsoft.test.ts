import { CallbackReceiver } from '@mailroom/testkit';
import { startWorker, RunningWorker } from '@mailroom/worker';
import { TenantSecrets } from '@mailroom/transports';
import { startMailboxVendor, MailboxVendor } from '@mailroom/transports/src/smtp/test-support/mailbox-vendor';
import pino from 'pino';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { connectMailbox, publicBaseUrl } from './support/oauth-connect';

const MAILBOX = 'billing@contoso.example';
const CALLBACK_SECRET = `whsec_${Buffer.alloc(24, 5).toString('base64')}`;

/**
 * A Microsoft 365 mailbox connected with OAuth2 against a local Microsoft (authorization server that
 * rotates refresh tokens and retires the old ones at once, Office 365's XOAUTH2 answers, Graph): the
 * access token renewed once for many sends across workers, Graph mode, a revoked grant.
 */
describe('a Microsoft 365 mailbox connected with OAuth2', () => {
  let m: Mailroom;
  let microsoft: MailboxVendor;
  let second: RunningWorker | undefined;
  /** The platform, told what happens (a revoked grant is `settings.failing`). */
  let platform: CallbackReceiver;
  beforeAll(async () => {
    const base = await publicBaseUrl();
    microsoft = await startMailboxVendor('microsoft', MAILBOX, base.redirectUri);
    platform = await startCallbackReceiver([CALLBACK_SECRET]);
    m = await startMailroom({
      ...base.env,
      ...microsoft.env,
      WORKER_CONCURRENCY: '4',
      CALLBACK_URL: platform.url,
      CALLBACK_SECRETS: CALLBACK_SECRET,
      CALLBACK_RETRY_SCALE: '0.001',
    });
    for (const tenant of ['contoso', 'fabrikam']) await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan: 'advanced' });
  });
  afterAll(async () => {
    await second?.stop();
    await m.stop();
    await microsoft.close();
    await platform.close();
  });

  const grantOf = async (tenant: string) => {
    const s = (await m.api.deps.store.settings.get(tenant))!;
    return { version: s.version, ...m.api.deps.providers.oauthModule()!.oauth.grant(s.smtp, new TenantSecrets(m.api.deps.box, tenant))! };
  };
  /** The hour is up: the vendor refuses the token, and the stored expiry says so. */
  const expireAccessToken = async (tenant: string) => {
    microsoft.oauth.expireAccessToken((await grantOf(tenant)).accessToken!);
    await m.api.deps.store.settings.update(tenant, (s) => ({
      ...s,
      smtp: { ...s.smtp!, oauth: { ...(s.smtp!.oauth as object), accessTokenExpiresAt: Date.now() - 1000 } },
    }));
  };
  const invoice = (n: number) => ({
    to: [{ email: `client${n}@customer.example` }],
    subject: `Invoice MS-${n}`,
    text: 'attached',
    attachments: [{ filename: `MS-${n}.pdf`, contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
  });
  const send = async (tenant: string, n: number) => (await m.call('POST', `/v1/tenants/${tenant}/emails`, invoice(n))).body.id as string;

  it('connects via SMTP: the scopes are SMTP.Send and offline_access, without a return URL a small page says so', async () => {
    const r = await m.call('POST', '/v1/tenants/contoso/email-settings/oauth/microsoft/start', microsoft.server);
    const scope = new URL(r.body.authorizeUrl).searchParams.get('scope');
    expect(scope).toBe('openid email offline_access https://outlook.office.com/SMTP.Send');
    const connected = await connectMailbox(m, microsoft, 'contoso', microsoft.server);
    expect(connected.status).toBe(200);
    expect(connected.body).toContain(`The mailbox ${MAILBOX} is connected`);
    const settings = (await m.call('GET', '/v1/tenants/contoso/email-settings')).body;
    expect(settings.smtp).toMatchObject({
      preset: 'outlook',
      auth: 'oauth2',
      oauth: { vendor: 'microsoft', via: 'smtp', mailbox: MAILBOX },
    });
    const id = await send('contoso', 0);
    expect(await waitForEmail(m, 'contoso', id, SETTLED)).toMatchObject({ status: 'accepted' });
  });

  it('an expired access token is refreshed once for many concurrent sends across two workers; the settings version stays', async () => {
    second = await startWorker(m.config, { logger: pino({ level: 'silent' }), resolveHost: m.dns.resolve });
    const before = await grantOf('contoso');
    await expireAccessToken('contoso');
    const refreshes = microsoft.oauth.stats.refreshes;
    const ids = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => send('contoso', n)));
    const emails = await Promise.all(ids.map((id) => waitForEmail(m, 'contoso', id, SETTLED)));
    expect(emails.map((e) => e.status)).toEqual(Array(8).fill('accepted'));
    expect(microsoft.oauth.stats.refreshes - refreshes).toBe(1);
    const after = await grantOf('contoso');
    expect(after.version).toBe(before.version);
    expect(after.accessToken).not.toBe(before.accessToken);
    // Microsoft rotated the refresh token and retired the old one: the next refresh works only with the stored new one.
    expect(after.refreshToken).not.toBe(before.refreshToken);
    await expireAccessToken('contoso');
    expect(await waitForEmail(m, 'contoso', await send('contoso', 9), SETTLED)).toMatchObject({ status: 'accepted' });
    expect(microsoft.oauth.stats.refreshes - refreshes).toBe(2);
    expect(microsoft.smtp.authAttempts.filter((a) => !a.ok)).toHaveLength(0);
  });

  it('Graph mode: scope Mail.Send, and the same MIME message goes through sendMail', async () => {
    const r = await m.call('POST', '/v1/tenants/fabrikam/email-settings/oauth/microsoft/start', { via: 'graph' });
    expect(new URL(r.body.authorizeUrl).searchParams.get('scope')).toBe(
      'openid email offline_access https://graph.microsoft.com/Mail.Send',
    );
    // Sending limits set on the tenant's earlier server stay with the connected mailbox, as far as Office 365's allow.
    const earlier = await m.call('PUT', '/v1/tenants/fabrikam/email-settings', {
      mode: 'smtp',
      senderName: 'fabrikam',
      smtp: {
        preset: 'other',
        fromAddress: MAILBOX,
        username: MAILBOX,
        password: 'pw-earlier-server',
        host: '127.0.0.1',
        port: 2525,
        tls: false,
      },
      limits: { perMinute: 120, perDay: 40 },
    });
    expect(earlier.status).toBe(200);
    expect((await connectMailbox(m, microsoft, 'fabrikam', { via: 'graph' })).status).toBe(200);
    const settings = (await m.call('GET', '/v1/tenants/fabrikam/email-settings')).body;
    expect(settings.smtp).toMatchObject({ preset: 'outlook', auth: 'oauth2', oauth: { via: 'graph', mailbox: MAILBOX } });
    expect(settings.limits).toMatchObject({
      perMinute: { value: 30, from: 'tenant', maximum: 30 },
      perDay: { value: 40, from: 'tenant', maximum: 10000 },
      own: { perMinute: 30, perDay: 40 },
    });
    expect(settings.warnings).toEqual([]);

    const id = await send('fabrikam', 20);
    const email = await waitForEmail(m, 'fabrikam', id, SETTLED);
    expect(email).toMatchObject({ status: 'accepted', transport: { mode: 'smtp' } });
    const sent = microsoft.graph!.sent.find((s) => s.parsed.headers.get('x-mailroom-email-id') === id)!;
    expect(sent.mailbox).toBe(MAILBOX);
    expect(sent.parsed.from?.value[0].address).toBe(MAILBOX);
    expect(sent.parsed.messageId).toBe(email.messageId);
    expect(sent.recipients).toEqual(['client20@customer.example']);
    expect(sent.parsed.attachments[0].content.equals(INVOICE_PDF)).toBe(true);
    // The test email too.
    expect((await m.call('POST', '/v1/tenants/fabrikam/email-settings/test', {})).body).toMatchObject({ ok: true, to: MAILBOX });
  });

  it('a revoked grant fails the email for good with oauth_reconnect_required and a warning; reconnecting clears it', async () => {
    microsoft.oauth.revokeGrant();
    await expireAccessToken('contoso');
    const id = await send('contoso', 30);
    const failed = await waitForEmail(m, 'contoso', id, SETTLED);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]).toMatchObject({
      code: 'oauth_reconnect_required',
      retryable: false,
      hint: expect.stringMatching(/Reconnect/),
    });
    // The worker records the failure on the email, publishes that email's callback, then on the settings:
    // the warning can trail the email's status by that callback's round trip to Redis.
    const warned = await waitFor(async () => {
      const body = (await m.call('GET', '/v1/tenants/contoso/email-settings')).body;
      return body.warnings.length > 0 && body;
    }, 'the settings warning');
    expect(warned.warnings).toContainEqual({ code: 'oauth_reconnect_required', message: expect.stringMatching(/connected again/) });
    expect(microsoft.smtp.authAttempts.filter((a) => !a.ok)).toHaveLength(0); // never a password, never another transport
    const failing = await waitFor(
      async () => platform.delivered().find((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === 'contoso'),
      'the settings.failing callback',
    );
    expect(failing.payload.data).toMatchObject({
      reason: 'oauth_reconnect_required',
      mode: 'smtp',
      reply: { code: 'oauth_reconnect_required' },
    });

    expect((await connectMailbox(m, microsoft, 'contoso', microsoft.server)).status).toBe(200);
    expect((await m.call('GET', '/v1/tenants/contoso/email-settings')).body.warnings).toEqual([]);
    expect(await waitForEmail(m, 'contoso', await send('contoso', 31), SETTLED)).toMatchObject({ status: 'accepted' });
  });
});
