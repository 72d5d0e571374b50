import { PassThrough } from 'node:stream';
import { TenantSecrets } from '@mailroom/transports';
import { startMailboxVendor, MailboxVendor } from '@mailroom/transports/src/smtp/test-support/mailbox-vendor';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';
import { callback, connectMailbox, publicBaseUrl } from './support/oauth-connect';

const MAILBOX = 'facturas@acme-gmail.example';

/**
 * A tenant connects its Gmail mailbox with OAuth2 against a local Google (authorization server and
 * an SMTP server taking XOAUTH2 tokens), and its invoices go out from that mailbox; nothing calls Google.
 */
describe('connecting a Gmail mailbox with OAuth2', () => {
  let m: Mailroom;
  let google: MailboxVendor;
  const logs: string[] = [];
  beforeAll(async () => {
    const base = await publicBaseUrl();
    google = await startMailboxVendor('google', MAILBOX, base.redirectUri);
    const logStream = new PassThrough();
    logStream.on('data', (d: Buffer) => logs.push(d.toString()));
    m = await startMailroom({ ...base.env, ...google.env, OAUTH_RETURN_HOSTS: 'app.example' }, { logStream });
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME S.L.', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/acme/email-settings', {
      mode: 'platform',
      senderName: 'ACME Facturación',
      replyTo: 'contabilidad@acme.example',
      bcc: ['archivo@acme.example'],
    });
    await m.call('PUT', '/v1/tenants/small', { name: 'Small', plan: 'basic' });
  });
  afterAll(async () => {
    await m.stop();
    await google.close();
  });

  it('offers only the vendors the platform has an app with', async () => {
    const r = await m.call('GET', '/v1/tenants/acme/email-settings');
    expect(r.body.oauth).toEqual({ google: true, microsoft: false });
    const ms = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/microsoft/start', {});
    expect(ms).toMatchObject({ status: 404, body: { error: { code: 'oauth_not_offered' } } });
  });

  it('start answers an authorize URL with PKCE (S256), a state, the scopes and our callback; gates plan and return host', async () => {
    const r = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', { returnUrl: 'https://app.example/settings' });
    expect(r.status).toBe(200);
    const url = new URL(r.body.authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(google.oauth.urls.authorize);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      client_id: 'mailroom-google-app',
      response_type: 'code',
      redirect_uri: `${m.config.publicBaseUrl}/oauth/callback`,
      scope: 'openid email https://mail.google.com/',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(q.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.state.length).toBeGreaterThan(40);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    const evil = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', { returnUrl: 'https://evil.example/steal' });
    expect(evil.status).toBe(400);
    expect(evil.body.error).toMatchObject({ code: 'return_url_not_allowed', details: [{ field: 'returnUrl' }] });
    const plan = await m.call('POST', '/v1/tenants/small/email-settings/oauth/google/start', {});
    expect(plan).toMatchObject({ status: 403, body: { error: { code: 'plan_not_eligible' } } });
    const graph = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', { via: 'graph' });
    expect(graph).toMatchObject({ status: 400, body: { error: { code: 'via_not_supported' } } });
    const internal = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', {
      host: '10.0.0.25',
      port: 465,
      tls: true,
    });
    expect(internal.status).toBe(400);
    expect(internal.body.error).toMatchObject({ code: 'smtp_host_not_allowed', details: [{ field: 'host' }] });
  });

  it('refuses a forged state and saves nothing', async () => {
    const r = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', {});
    const query = await google.oauth.consentTo(r.body.authorizeUrl);
    const [body, kid, mac] = query.state.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, t: 'small' })).toString('base64url')}.${kid}.${mac}`;
    const refused = await callback(m, { ...query, state: forged });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/cannot be used/);
    expect((await callback(m, { ...query, state: 'garbage' })).status).toBe(400);
    expect((await m.call('GET', '/v1/tenants/acme/email-settings')).body.mode).toBe('platform');
  });

  it('connects: the callback saves the mailbox (sender kept, no token shown) and returns the admin; the same state again is refused', async () => {
    const connected = await connectMailbox(m, google, 'acme', { returnUrl: 'https://app.example/settings?tab=email', ...google.server });
    expect(connected.status).toBe(303);
    expect(connected.location).toBe('https://app.example/settings?tab=email&oauth=connected');

    const settings = await m.call('GET', '/v1/tenants/acme/email-settings');
    expect(settings.body).toMatchObject({
      mode: 'smtp',
      senderName: 'ACME Facturación',
      replyTo: 'contabilidad@acme.example',
      bcc: [{ email: 'archivo@acme.example' }],
      smtp: {
        preset: 'gmail',
        auth: 'oauth2',
        fromAddress: MAILBOX,
        username: MAILBOX,
        host: '127.0.0.1',
        port: google.smtp.port,
        tls: true,
        hasPassword: false,
        oauth: { vendor: 'google', via: 'smtp', mailbox: MAILBOX },
      },
      warnings: [],
    });
    const stored = (await m.api.deps.store.settings.get('acme'))!;
    const grant = m.api.deps.providers.oauthModule()!.oauth.grant(stored.smtp, new TenantSecrets(m.api.deps.box, 'acme'));
    expect(grant!.refreshToken).toMatch(/^1\/\//);
    const shown = JSON.stringify(settings.body);
    for (const secret of [grant!.refreshToken, grant!.accessToken!]) {
      expect(shown).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret);
    }
    expect(shown).not.toMatch(/ya29\.|1\/\/0|refreshToken|accessToken/);

    const again = await callback(m, connected.query);
    expect(again.status).toBe(400);
    expect((await m.api.deps.store.settings.get('acme'))!.version).toBe(stored.version);
  });

  it('sends an invoice over XOAUTH2 from the connected mailbox, and the test email too', async () => {
    const id = (
      await m.call('POST', '/v1/tenants/acme/emails', { to: ['cliente@customer.example'], subject: 'Factura F-1', text: 'adjunta' })
    ).body.id;
    const email = await waitForEmail(m, 'acme', id, SETTLED);
    expect(email).toMatchObject({ status: 'accepted', transport: { mode: 'smtp' } });
    const [msg] = await google.smtp.waitForMessages(1);
    expect(msg.user).toBe(MAILBOX);
    expect(msg.parsed.from?.value[0]).toMatchObject({ address: MAILBOX, name: 'ACME Facturación' });
    expect(msg.envelope.rcptTo.sort()).toEqual(['archivo@acme.example', 'cliente@customer.example']);
    expect(google.smtp.authAttempts.every((a) => a.method === 'XOAUTH2' && a.ok)).toBe(true);

    const test = await m.call('POST', '/v1/tenants/acme/email-settings/test', {});
    expect(test.body).toMatchObject({ ok: true, to: MAILBOX });
    expect(await google.smtp.waitForMessages(2)).toHaveLength(2);
  });

  it('keeps a connected mailbox on the server it was connected with: left out it stays, another one is refused', async () => {
    const body = (smtp: Record<string, unknown>) => ({
      mode: 'smtp',
      senderName: 'ACME Facturación',
      smtp: { preset: 'gmail', auth: 'oauth2', fromAddress: MAILBOX, ...smtp },
    });
    const kept = await m.call('PUT', '/v1/tenants/acme/email-settings', body({}));
    expect(kept.status).toBe(200);
    expect(kept.body.smtp).toMatchObject({ host: '127.0.0.1', port: google.smtp.port, oauth: { mailbox: MAILBOX } });
    const before = await m.api.deps.store.settings.get('acme');
    const moved = await m.call(
      'PUT',
      '/v1/tenants/acme/email-settings',
      body({ host: '127.0.0.1', port: google.smtp.port + 1, tls: true }),
    );
    expect(moved.status).toBe(400);
    expect(moved.body.error.details).toEqual([
      {
        field: 'smtp.host',
        message: expect.stringMatching(/sends through 127.0.0.1:\d+: to use another server, connect the mailbox again/),
      },
    ]);
    expect(await m.api.deps.store.settings.get('acme')).toEqual(before);
  });

  it('puts no token, code or state in any log line (trace level)', async () => {
    const grant = async () =>
      m.api.deps.providers
        .oauthModule()!
        .oauth.grant((await m.api.deps.store.settings.get('acme'))!.smtp, new TenantSecrets(m.api.deps.box, 'acme'))!;
    const before = await grant();
    const r = await m.call('POST', '/v1/tenants/acme/email-settings/oauth/google/start', {});
    const query = await google.oauth.consentTo(r.body.authorizeUrl);
    await callback(m, query);
    const after = await grant();
    const text = logs.join('');
    expect(text).toContain('mailbox connected');
    for (const secret of [before.refreshToken, before.accessToken!, after.refreshToken, after.accessToken!, query.code, query.state])
      expect(text).not.toContain(secret);
  });
});
