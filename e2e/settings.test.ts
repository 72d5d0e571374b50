import { Mailroom, startMailroom } from './support/mailroom-harness';

describe('email settings', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
    await m.call('PUT', '/v1/tenants/basic-co', { name: 'Basic Co', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/prem', { name: 'Premium Co', plan: 'premium' });
  });
  afterAll(() => m.stop());

  const smtp = (over: Record<string, unknown> = {}) => ({
    mode: 'smtp',
    senderName: 'Premium Co',
    replyTo: 'billing@prem.example',
    cc: ['books@prem.example'],
    bcc: [{ email: 'archive@prem.example', name: 'Archive' }],
    smtp: { preset: 'gmail', fromAddress: 'billing@prem.example', username: 'billing@prem.example', password: 'app-password-123', ...over },
  });

  it('saves platform mode for any plan', async () => {
    const r = await m.call('PUT', '/v1/tenants/basic-co/email-settings', {
      mode: 'platform',
      senderName: 'Basic Co',
      replyTo: 'hi@basic.example',
      cc: [],
      bcc: [],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ mode: 'platform', senderName: 'Basic Co', replyTo: 'hi@basic.example', version: 1, warnings: [] });
  });

  it('refuses smtp mode below the advanced plan with 403 and a reason, writing nothing', async () => {
    const r = await m.call('PUT', '/v1/tenants/basic-co/email-settings', smtp());
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/advanced or premium plan.*basic/);
    expect((await m.call('GET', '/v1/tenants/basic-co/email-settings')).body.mode).toBe('platform');
  });

  it('fills host, port and TLS from the preset, lets the user override, and never shows the password', async () => {
    const r = await m.call('PUT', '/v1/tenants/prem/email-settings', smtp());
    expect(r.status).toBe(200);
    expect(r.body.smtp).toEqual({
      preset: 'gmail',
      auth: 'password',
      fromAddress: 'billing@prem.example',
      username: 'billing@prem.example',
      host: 'smtp.gmail.com',
      port: 465,
      tls: true,
      hasPassword: true,
    });
    expect(JSON.stringify(r.body)).not.toContain('app-password-123');
    const outlook = await m.call('PUT', '/v1/tenants/prem/email-settings', smtp({ preset: 'outlook' }));
    expect(outlook.body.smtp).toMatchObject({ host: 'smtp.office365.com', port: 587, tls: false });
    const overridden = await m.call(
      'PUT',
      '/v1/tenants/prem/email-settings',
      smtp({ preset: 'ionos', host: 'smtp.ionos.de', port: 587, tls: false }),
    );
    expect(overridden.body.smtp).toMatchObject({ host: 'smtp.ionos.de', port: 587, tls: false });
  });

  it('requires host, port and tls for preset "other"', async () => {
    const r = await m.call('PUT', '/v1/tenants/prem/email-settings', smtp({ preset: 'other' }));
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.field)).toEqual(expect.arrayContaining(['smtp.host', 'smtp.port', 'smtp.tls']));
  });

  it('keeps the stored password when a PUT leaves it out, and stores it encrypted', async () => {
    await m.call('PUT', '/v1/tenants/prem/email-settings', smtp({ password: 'first-secret-pw' }));
    const { password: _p, ...withoutPassword } = smtp().smtp;
    const r = await m.call('PUT', '/v1/tenants/prem/email-settings', {
      ...smtp(),
      smtp: { ...withoutPassword, fromAddress: 'other@prem.example' },
    });
    expect(r.status).toBe(200);
    expect(r.body.smtp.hasPassword).toBe(true);
    const stored = await m.api.deps.store.settings.get('prem');
    expect(stored!.smtp!.password).toMatch(/^k1:/);
    expect(m.api.deps.box.open(stored!.smtp!.password as string, 'prem:smtp.password')).toBe('first-secret-pw');
    expect(r.body.warnings).toEqual([
      { code: 'from_differs_from_username', message: expect.stringMatching(/differs from the SMTP username/) },
    ]);
  });

  it('asks for the password again when the host, the port or the username changes, and keeps what is stored', async () => {
    await m.call('PUT', '/v1/tenants/prem/email-settings', smtp({ password: 'stored-for-gmail' }));
    const before = await m.api.deps.store.settings.get('prem');
    const { password: _p, ...withoutPassword } = smtp().smtp;
    for (const change of [
      { preset: 'other', host: 'smtp.ionos.de', port: 465, tls: true },
      { host: 'smtp.gmail.com', port: 587, tls: false },
      { username: 'someone-else@prem.example' },
    ]) {
      const r = await m.call('PUT', '/v1/tenants/prem/email-settings', { ...smtp(), smtp: { ...withoutPassword, ...change } });
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([
        {
          field: 'smtp.password',
          message: expect.stringMatching(
            /required again when the host, the port or the username changes.*billing@prem.example on smtp.gmail.com:465/,
          ),
        },
      ]);
    }
    expect(await m.api.deps.store.settings.get('prem')).toEqual(before);
    const withPassword = await m.call('PUT', '/v1/tenants/prem/email-settings', smtp({ username: 'someone-else@prem.example' }));
    expect(withPassword.status).toBe(200);
  });

  it('needs a password the first time SMTP is configured', async () => {
    await m.call('PUT', '/v1/tenants/prem2', { name: 'P2', plan: 'advanced' });
    const { password: _p, ...withoutPassword } = smtp().smtp;
    const r = await m.call('PUT', '/v1/tenants/prem2/email-settings', { ...smtp(), smtp: withoutPassword });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/smtp.password/);
  });

  it('rejects header injection and bad addresses naming the field', async () => {
    const inj = await m.call('PUT', '/v1/tenants/prem/email-settings', { ...smtp(), senderName: 'Evil\r\nBcc: victim@x.com' });
    expect(inj.status).toBe(400);
    expect(inj.body.error.message).toMatch(/senderName.*line breaks/);
    const addr = await m.call('PUT', '/v1/tenants/prem/email-settings', { ...smtp(), cc: ['not-an-address'] });
    expect(addr.status).toBe(400);
    expect(addr.body.error.details[0].field).toBe('cc.0.email');
  });
});
