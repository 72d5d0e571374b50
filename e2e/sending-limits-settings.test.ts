import { Mailroom, startMailroom } from './support/mailroom-harness';

/**
 * The tenants' own sending limits in the settings (issue 8 section 2, decision 0030): the preset's
 * published figures are the defaults and the ceiling, the tenant may lower them, a figure over the
 * ceiling is a 400 naming the field and the maximum, and platform mode refuses limits.
 */
describe('sending limits in the email settings', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
    await m.call('PUT', '/v1/tenants/lim', { name: 'Limited Co', plan: 'premium' });
  });
  afterAll(() => m.stop());

  const put = (preset: string, limits?: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    m.call('PUT', '/v1/tenants/lim/email-settings', {
      mode: 'smtp',
      senderName: 'Limited Co',
      smtp: { preset, fromAddress: 'billing@lim.example', username: 'billing@lim.example', password: 'app-password-123', ...extra },
      ...(limits ? { limits } : {}),
    });

  it("shows each preset's published limits as the defaults, with their sources", async () => {
    const gmail = await put('gmail');
    expect(gmail.status).toBe(200);
    expect(gmail.body.limits).toEqual({
      perMinute: null,
      perHour: null,
      perDay: { value: 500, from: 'preset', maximum: 2000 },
      own: {},
      preset: {
        label: 'Gmail',
        defaults: { perDay: 500 },
        maximum: { perDay: 2000 },
        sources: expect.arrayContaining(['https://support.google.com/a/answer/166852']),
        note: expect.stringMatching(/Workspace/),
      },
    });
    const outlook = await put('outlook');
    expect(outlook.body.limits).toMatchObject({
      perMinute: { value: 30, from: 'preset', maximum: 30 },
      perHour: null,
      perDay: { value: 10000, from: 'preset', maximum: 10000 },
      preset: { label: 'Office 365', sources: [expect.stringMatching(/^https:\/\/learn\.microsoft\.com\/.*exchange-online-limits/)] },
    });
    const ionos = await put('ionos');
    expect(ionos.body.limits).toMatchObject({ perHour: { value: 500, from: 'preset', maximum: 5000 }, preset: { label: 'IONOS' } });
    expect((await m.call('GET', '/v1/tenants/lim/email-settings')).body.limits).toEqual(ionos.body.limits);
  });

  it("takes a lower figure, and a new window beside the preset's; GET says which figure is whose", async () => {
    const r = await put('gmail', { perMinute: 5, perDay: 100 });
    expect(r.status).toBe(200);
    const shown = (await m.call('GET', '/v1/tenants/lim/email-settings')).body.limits;
    expect(shown).toMatchObject({
      perMinute: { value: 5, from: 'tenant' },
      perHour: null,
      perDay: { value: 100, from: 'tenant', maximum: 2000 },
      own: { perMinute: 5, perDay: 100 },
    });
    // Raising up to the preset's maximum is allowed where the preset says so (Workspace's 2,000 a day).
    expect((await put('gmail', { perDay: 2000 })).body.limits.perDay).toEqual({ value: 2000, from: 'tenant', maximum: 2000 });
  });

  it('refuses a figure over the preset with a 400 naming the field and the maximum, and keeps what was saved', async () => {
    await put('outlook', { perMinute: 10 });
    const r = await put('outlook', { perMinute: 31 });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([
      { field: 'limits.perMinute', message: expect.stringMatching(/at most 30: Office 365's published/) },
    ]);
    expect(r.body.error.message).toMatch(/^limits\.perMinute: .*at most 30/);
    const gmail = await put('gmail', { perDay: 2001 });
    expect(gmail.status).toBe(400);
    expect(gmail.body.error.details[0]).toMatchObject({ field: 'limits.perDay', message: expect.stringMatching(/at most 2000/) });
    const kept = (await m.call('GET', '/v1/tenants/lim/email-settings')).body;
    expect(kept.smtp.preset).toBe('outlook');
    expect(kept.limits.perMinute).toEqual({ value: 10, from: 'tenant', maximum: 30 });
  });

  it('lets a server without a preset, and a provider, take any limit the tenant sets; none without one', async () => {
    const other = await put('other', { perMinute: 120, perDay: 50000 }, { host: 'smtp.gmail.com', port: 587, tls: false });
    expect(other.status).toBe(200);
    expect(other.body.limits).toEqual({
      perMinute: { value: 120, from: 'tenant' },
      perHour: null,
      perDay: { value: 50000, from: 'tenant' },
      own: { perMinute: 120, perDay: 50000 },
      preset: null,
    });
    const none = await put('other', undefined, { host: 'smtp.gmail.com', port: 587, tls: false });
    expect(none.body.limits).toEqual({ perMinute: null, perHour: null, perDay: null, own: {}, preset: null });
    await m.call('PUT', '/v1/tenants/lim-free', { name: 'Free Co', plan: 'free' });
    const provider = await m.call('PUT', '/v1/tenants/lim-free/email-settings', {
      mode: 'provider',
      senderName: 'Free Co',
      replyTo: 'r@free.example',
      provider: {
        name: 'mailgun',
        fromAddress: 'billing@mg.free.example',
        privateApiKey: 'key-0000000000000000000000000001',
        region: 'eu',
      },
      limits: { perHour: 300 },
    });
    expect(provider.status).toBe(200);
    expect(provider.body.limits).toMatchObject({ perHour: { value: 300, from: 'tenant' }, preset: null });
  });

  it('refuses limits in platform mode (the platform paces its own relay) and bad figures, naming the field', async () => {
    const platform = await m.call('PUT', '/v1/tenants/lim/email-settings', {
      mode: 'platform',
      senderName: 'Limited Co',
      replyTo: 'r@lim.example',
      limits: { perMinute: 5 },
    });
    expect(platform.status).toBe(400);
    expect(platform.body.error.details[0]).toMatchObject({ field: 'limits', message: expect.stringMatching(/smtp.*provider/) });
    const saved = await m.call('PUT', '/v1/tenants/lim/email-settings', {
      mode: 'platform',
      senderName: 'Limited Co',
      replyTo: 'r@lim.example',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.limits).toBeNull();
    for (const [limits, field, words] of [
      [{ perMinute: 0 }, 'limits.perMinute', /at least 1/],
      [{ perHour: 2.5 }, 'limits.perHour', /whole number/],
      [{ perDay: 'lots' }, 'limits.perDay', /must be a number/],
      [{ perWeek: 5 }, 'limits', /perWeek/],
      [[5], 'limits', /must be an object/],
    ] as const) {
      const r = await put('gmail', limits as unknown as Record<string, unknown>);
      expect(r.status).toBe(400);
      expect(r.body.error.details[0]).toMatchObject({ field, message: expect.stringMatching(words) });
    }
  });
});
