import { generateKeyPairSync } from 'node:crypto';
import { CallbackReceiver, EmulatedEventWebhook, SendgridEmulator, sendgridEvents } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, waitForEmail } from './support/mailroom-harness';
import { OnSendgrid, sendgridInvoice, sendgridSettings, startOnSendgrid } from './support/sendgrid-tenant';

const KEY_A = 'SG.tenant-a.0123456789abcdef';
const KEY_B = 'SG.tenant-b.fedcba9876543210';
const RESTRICTED = 'SG.mail-send-only.000000000001';
/** The key of a tenant whose test email the test refuses with an injected 429 (matched by key, so no other send takes it). */
const KEY_TEST_BUSY = 'SG.test-email-busy.00000000005';

/**
 * The front door, for SendGrid: a tenant saves its own keys, the webhook is registered on its account,
 * an invoice goes out through its account, SendGrid posts signed events, the history tells the truth.
 */
describe('a tenant on its own SendGrid account', () => {
  let on: OnSendgrid;
  let m: Mailroom;
  let sg: SendgridEmulator;
  let platform: CallbackReceiver;
  /** The Event Webhook the account already had: the tenant's ERP listens on it, and must keep doing so. */
  let theirs: EmulatedEventWebhook;
  const THEIRS = 'https://erp.shared-account.example/sendgrid-events';
  beforeAll(async () => {
    // KEY_A and KEY_B are two tenants' keys on one SendGrid account.
    on = await startOnSendgrid({
      apiKeys: [KEY_A, KEY_B, KEY_TEST_BUSY],
      mailSendOnlyKeys: [RESTRICTED],
    });
    ({ m, sg, platform } = on);
    theirs = sg.addEventWebhook({ url: THEIRS, delivered: true, bounce: true, friendly_name: 'ERP' }, { signed: true, legacy: true });
  });
  afterAll(() => on.stop());

  const saveSendgrid = (tenant: string, key: string | undefined, extra: Record<string, unknown> = {}) =>
    m.call('PUT', `/v1/tenants/${tenant}/email-settings`, sendgridSettings(tenant, key, { bcc: true, provider: extra }));
  const invoice = (n: string) => sendgridInvoice(n, { html: true });
  const webhookUrl = (tenant: string) => `${m.webhooks.url}/webhooks/sendgrid/${tenant}`;
  const ourWebhook = (tenant: string) => sg.eventWebhooks().find((h) => h.settings.url === webhookUrl(tenant));

  it('saves the keys (never shown again) and registers the signed webhook on the tenant account', async () => {
    await m.call('PUT', '/v1/tenants/sga', { name: 'SG A', plan: 'free' });
    const r = await saveSendgrid('sga', KEY_A);
    expect(r.status).toBe(200);
    expect(r.body.provider).toEqual({
      name: 'sendgrid',
      fromAddress: 'billing@sga.example',
      hasPrivateApiKey: true,
      privateApiKeyLast4: 'cdef',
    });
    expect(r.body.webhook).toMatchObject({ url: webhookUrl('sga'), registered: true, hasVerificationKey: true, lastEventAt: null });
    expect(JSON.stringify(r.body)).not.toContain(KEY_A);
    const ours = ourWebhook('sga')!;
    expect(ours.settings).toMatchObject({ enabled: true, url: webhookUrl('sga'), delivered: true, open: true, bounce: true });
    expect(ours.signed).toBe(true);
    expect((await m.api.deps.store.settings.get('sga'))!.provider!.webhook!.providerWebhookId).toBe(ours.id);
    // The account's own webhook is as it was: same URL, same events, still signed with its own key.
    expect(theirs.settings).toMatchObject({ enabled: true, url: THEIRS, delivered: true, bounce: true, open: false });
    expect(theirs.signed).toBe(true);
    expect(theirs.publicKey).not.toBe(ours.publicKey);
    // Saving again updates the same webhook: no second one.
    await saveSendgrid('sga', undefined);
    expect(sg.eventWebhooks().map((h) => h.settings.url)).toEqual([THEIRS, webhookUrl('sga')]);
  });

  it('sends through the tenant account, then delivered and opened events move the history forward, once each', async () => {
    const id = (await m.call('POST', '/v1/tenants/sga/emails', invoice('SG-1'))).body.id;
    const sent = await waitForEmail(m, 'sga', id, SETTLED);
    expect(sent).toMatchObject({ status: 'accepted', transport: { mode: 'provider', provider: 'sendgrid' } });
    const mail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === id)!;
    expect(mail.apiKey).toBe(KEY_A);
    expect(sent.providerMessageId).toBe(mail.messageId);
    expect(Buffer.from(mail.body.attachments![0].content, 'base64').equals(INVOICE_PDF)).toBe(true);
    expect(mail.body.tracking_settings?.open_tracking?.enable).toBe(true);

    const [client, archive] = sg.targetsOf(mail);
    const delivered = sendgridEvents.delivered(client);
    const processed = sendgridEvents.processed(client, { at: new Date(Date.now() - 60_000) });
    expect((await sg.postEvents(webhookUrl('sga'), [delivered, sendgridEvents.delivered(archive)])).status).toBe(200);
    expect((await sg.postEvents(webhookUrl('sga'), [processed])).status).toBe(200); // late, out of order
    expect((await sg.postEvents(webhookUrl('sga'), [delivered])).status).toBe(200); // duplicate
    let email = await waitForEmail(m, 'sga', id, (e) => e.status === 'delivered');
    expect(email.recipients.map((r: any) => r.status)).toEqual(['delivered', 'delivered']);

    const machine = sendgridEvents.open(client, { machine: true });
    const human = sendgridEvents.open(client, { machine: false });
    expect((await sg.postEvents(webhookUrl('sga'), [machine, human, human])).status).toBe(200);
    email = await waitForEmail(m, 'sga', id, (e) => e.opens.count === 1);
    expect(email.opens).toMatchObject({ count: 1, machineCount: 1 });
    expect(email.recipients.find((r: any) => r.email === 'client@customer.example').status).toBe('opened');
    expect(email.recipients.find((r: any) => r.email === 'archive@sga.example').status).toBe('delivered');
    const keys = email.events.map((e: any) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      email.events
        .filter((e: any) => e.source === 'sendgrid')
        .map((e: any) => e.type)
        .sort(),
    ).toEqual(['accepted', 'delivered', 'delivered', 'opened', 'opened']);
    const settings = await m.call('GET', '/v1/tenants/sga/email-settings');
    expect(settings.body.webhook.lastEventAt).not.toBeNull();
    const bounced = sendgridEvents.bounce(archive);
    await sg.postEvents(webhookUrl('sga'), [bounced]);
    email = await waitForEmail(m, 'sga', id, (e) => e.recipients.some((r: any) => r.status === 'bounced'));
    expect(email.recipients.find((r: any) => r.status === 'bounced')).toMatchObject({
      email: 'archive@sga.example',
      bounceType: 'hard',
      responseCode: 550,
      statusCode: '5.1.1',
    });
    expect((await m.call('GET', '/v1/tenants/sga/emails?status=bounced')).body.items.map((e: any) => e.id)).toEqual([id]);
  });

  it('refuses forged, tampered, stale and unsigned posts and writes nothing', async () => {
    const id = (await m.call('POST', '/v1/tenants/sga/emails', invoice('SG-2'))).body.id;
    await waitForEmail(m, 'sga', id, SETTLED);
    const mail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === id)!;
    const [client] = sg.targetsOf(mail);
    const forger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const attempts = [
      await sg.postEvents(webhookUrl('sga'), [sendgridEvents.delivered(client)], { tamper: true }),
      await sg.postEvents(webhookUrl('sga'), [sendgridEvents.delivered(client)], { signWith: forger }),
      await sg.postEvents(webhookUrl('sga'), [sendgridEvents.delivered(client)], { unsigned: true }),
      await sg.postEvents(webhookUrl('sga'), [sendgridEvents.delivered(client)], { timestamp: Math.floor(Date.now() / 1000) - 26 * 3600 }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 400]);
    const email = (await m.call('GET', `/v1/tenants/sga/emails/${id}`)).body;
    expect(email.status).toBe('accepted');
    expect(email.events.filter((e: any) => e.type === 'delivered')).toHaveLength(0);
  });

  it('acknowledges a valid event for an unknown email and writes it nowhere', async () => {
    const ghost = sendgridEvents.delivered({
      email: 'x@y.example',
      customArgs: { mailroom_email_id: 'em_unknown', mailroom_tenant_id: 'sga' },
    });
    expect((await sg.postEvents(webhookUrl('sga'), [ghost])).status).toBe(200);
    expect((await m.call('GET', '/v1/tenants/sga/emails/em_unknown')).status).toBe(404);
  });

  it('when registration fails the settings are still saved, the answer says why, and a pasted key works', async () => {
    await m.call('PUT', '/v1/tenants/sgr', { name: 'Restricted', plan: 'free' });
    const r = await saveSendgrid('sgr', RESTRICTED);
    expect(r.status).toBe(200);
    expect(r.body.webhook).toMatchObject({
      registered: false,
      error: expect.stringMatching(/permission|paste/i),
      hintKey: 'sendgrid.webhookPermission',
    });
    expect(r.body.warnings).toEqual([{ code: 'webhook_not_registered', message: expect.stringMatching(/not registered/) }]);
    // The admin makes a webhook for our URL by hand in SendGrid, turns signing on, and pastes its key.
    const byHand = sg.addEventWebhook({ url: `${m.webhooks.url}/webhooks/sendgrid/sgr` }, { signed: true });
    const pasted = await saveSendgrid('sgr', undefined, { webhookVerificationKey: byHand.publicKey });
    expect(pasted.body.webhook).toMatchObject({ registered: true, hasVerificationKey: true });
    expect(pasted.body.provider.hasPrivateApiKey).toBe(true);
    const id = (await m.call('POST', '/v1/tenants/sgr/emails', invoice('SG-3'))).body.id;
    await waitForEmail(m, 'sgr', id, SETTLED);
    const mail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === id)!;
    expect((await sg.postEvents(`${m.webhooks.url}/webhooks/sendgrid/sgr`, [sendgridEvents.delivered(sg.targetsOf(mail)[0])])).status).toBe(
      200,
    );
    await waitForEmail(m, 'sgr', id, (e) => e.events.some((ev: any) => ev.type === 'delivered'));
  });

  it('two tenants on SendGrid sending concurrently each reach it with their own key only', async () => {
    await m.call('PUT', '/v1/tenants/sgb', { name: 'SG B', plan: 'free' });
    await saveSendgrid('sgb', KEY_B);
    // Same account, two webhooks, two keys: registering the second tenant left the first one's alone.
    expect(ourWebhook('sgb')!.publicKey).not.toBe(ourWebhook('sga')!.publicKey);
    expect(ourWebhook('sga')!.settings.url).toBe(webhookUrl('sga'));
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        m.call('POST', `/v1/tenants/${i % 2 ? 'sga' : 'sgb'}/emails`, invoice(`C-${i}`)).then((r) => [i % 2 ? 'sga' : 'sgb', r.body.id]),
      ),
    );
    for (const [tenant, id] of ids) await waitForEmail(m, tenant, id, SETTLED);
    for (const [tenant, id] of ids) {
      const mail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === id)!;
      expect([tenant, mail.apiKey]).toEqual([tenant, tenant === 'sga' ? KEY_A : KEY_B]);
      expect(mail.body.custom_args?.mailroom_tenant_id).toBe(tenant);
    }
  });

  it("an event about one tenant's email, posted to another tenant's URL, is written nowhere", async () => {
    const id = (await m.call('POST', '/v1/tenants/sga/emails', invoice('SG-X'))).body.id;
    await waitForEmail(m, 'sga', id, SETTLED);
    const mail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === id)!;
    const events = [
      sendgridEvents.open(sg.targetsOf(mail)[0]),
      sendgridEvents.delivered(sg.targetsOf(mail)[0]),
      sendgridEvents.processed(sg.targetsOf(mail)[0]),
    ];
    // sgb is on the same SendGrid account, so SendGrid posts the event to its webhook too, signed with
    // that webhook's key: the signature is valid, and only the echoed ids can tell.
    expect((await sg.postEvents(webhookUrl('sgb'), events)).status).toBe(200);
    const email = (await m.call('GET', `/v1/tenants/sga/emails/${id}`)).body;
    expect(email.events.filter((e: any) => e.source === 'sendgrid')).toHaveLength(0);
    // The same shuffled batch (open before delivered before processed) to the right URL ends at opened.
    expect((await sg.postEvents(webhookUrl('sga'), events)).status).toBe(200);
    const after = await waitForEmail(m, 'sga', id, (e) => e.recipients[0].status === 'opened');
    expect(
      after.events
        .filter((e: any) => e.source === 'sendgrid')
        .map((e: any) => e.type)
        .sort(),
    ).toEqual(['accepted', 'delivered', 'opened']);
  });

  it('429 with Retry-After is retried; a revoked key fails at once with a hint', async () => {
    sg.injectFault(
      { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ message: 'Too many requests', field: null }] } },
      (req) => req.path === '/v3/mail/send',
    );
    const id = (await m.call('POST', '/v1/tenants/sga/emails', invoice('SG-429'))).body.id;
    const email = await waitForEmail(m, 'sga', id, (e) => e.status === 'accepted');
    expect(email.attempts.map((a: any) => [a.ok, a.responseCode ?? null])).toEqual([
      [false, 429],
      [true, null],
    ]);
    await m.call('PUT', '/v1/tenants/sgx', { name: 'Revoked', plan: 'free' });
    await saveSendgrid('sgx', 'SG.revoked.key.000000000000');
    const failed = await waitForEmail(m, 'sgx', (await m.call('POST', '/v1/tenants/sgx/emails', invoice('SG-401'))).body.id, SETTLED);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]).toMatchObject({ responseCode: 401, retryable: false, hint: expect.stringMatching(/key/i) });
  });

  const sendsWith = (key: string) => (req: { path: string; headers: { authorization?: string } }) =>
    req.path === '/v3/mail/send' && req.headers.authorization === `Bearer ${key}`;
  const failingOf = (tenant: string) =>
    platform.delivered().filter((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === tenant);
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('a test email refused with a 429 (temporary, not the settings) remembers nothing on the settings and tells nothing', async () => {
    await m.call('PUT', '/v1/tenants/sgtest429', { name: 'Test busy', plan: 'free' });
    expect((await saveSendgrid('sgtest429', KEY_TEST_BUSY)).status).toBe(200);
    sg.injectFault(
      { kind: 'status', status: 429, body: { errors: [{ message: 'Too many requests', field: null }] } },
      sendsWith(KEY_TEST_BUSY),
    );
    const r = await m.call('POST', '/v1/tenants/sgtest429/email-settings/test', {});
    expect(r.body).toMatchObject({ ok: false, error: { code: 'http_429' } });
    expect((await m.api.deps.store.settings.get('sgtest429'))!.lastFailure).toBeUndefined();
    await settle();
    expect(failingOf('sgtest429')).toEqual([]);
  });

  it('send test email goes through the same account; a draft with a bad key says why and stores nothing', async () => {
    const ok = await m.call('POST', '/v1/tenants/sga/email-settings/test', {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, to: 'billing@sga.example', messageId: expect.any(String) });
    const testMail = sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === ok.body.emailId)!;
    expect(testMail.apiKey).toBe(KEY_A);
    const history = await m.call('GET', '/v1/tenants/sga/emails?test=true');
    expect(history.body.items.map((e: any) => e.id)).toContain(ok.body.emailId);
    const before = (await m.call('GET', '/v1/tenants/sga/email-settings')).body;
    const draft = await m.call('POST', '/v1/tenants/sga/email-settings/test', {
      mode: 'provider',
      senderName: 'Draft',
      provider: { name: 'sendgrid', fromAddress: 'billing@sga.example', privateApiKey: 'SG.wrong.key.0000000000' },
    });
    expect(draft.body).toMatchObject({ ok: false, error: { code: 'http_401', hint: expect.any(String) } });
    const after = (await m.call('GET', '/v1/tenants/sga/email-settings')).body;
    expect(after.version).toBe(before.version);
    expect(after.provider.privateApiKeyLast4).toBe('cdef');
  });
});
