import { MailgunEmulator, mailgunEvents, startMailgunEmulator } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const EU_KEY = 'key-eu-tenant-000000000000000001';
const US_KEY = 'key-us-tenant-000000000000000002';

/** The front door, for Mailgun: EU and US regions, domain webhooks, HMAC-signed events, replays refused. */
describe('a tenant on its own Mailgun account', () => {
  let m: Mailroom;
  let eu: MailgunEmulator;
  let us: MailgunEmulator;
  beforeAll(async () => {
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.acme.example'] });
    us = await startMailgunEmulator({ region: 'us', keys: [US_KEY], domains: ['mg.globex.example'] });
    m = await startMailroom({ MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: us.url });
    for (const t of ['mga', 'mgwrong']) await m.call('PUT', `/v1/tenants/${t}`, { name: t, plan: 'free' });
  });
  afterAll(async () => {
    await m.stop();
    await eu.close();
    await us.close();
  });

  const save = (tenant: string, provider: Record<string, unknown>) =>
    m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
      mode: 'provider',
      senderName: 'ACME',
      replyTo: 'billing@acme.example',
      provider: { name: 'mailgun', ...provider },
    });
  const url = (tenant: string) => `${m.webhooks.url}/webhooks/mailgun/${tenant}`;

  it('registers the domain webhooks in the right region and keeps the signing key', async () => {
    const r = await save('mga', { fromAddress: 'billing@mg.acme.example', privateApiKey: EU_KEY, region: 'eu' });
    expect(r.status).toBe(200);
    expect(r.body.provider).toMatchObject({
      name: 'mailgun',
      region: 'eu',
      domain: 'mg.acme.example',
      hasPrivateApiKey: true,
      privateApiKeyLast4: '0001',
    });
    expect(r.body.webhook).toMatchObject({ registered: true, url: url('mga') });
    expect(Object.keys(eu.webhooksOf('mg.acme.example')).sort()).toEqual([
      'accepted',
      'clicked',
      'complained',
      'delivered',
      'opened',
      'permanent_fail',
      'temporary_fail',
      'unsubscribed',
    ]);
    expect(r.body.warnings).toEqual([]);
  });

  it('warns when the From domain does not match the sending domain', async () => {
    const r = await save('mga', { fromAddress: 'billing@acme.example', domain: 'mg.other.example', region: 'eu' });
    expect(r.body.warnings).toContainEqual({
      code: 'mailgun_domain_mismatch',
      message: expect.stringMatching(/does not match the Mailgun sending domain/),
    });
    await save('mga', { fromAddress: 'billing@mg.acme.example', region: 'eu' });
  });

  it('sends with v: variables, then signed events reach the history; replays, forgeries and stale posts change nothing', async () => {
    const id = (
      await m.call('POST', '/v1/tenants/mga/emails', {
        to: ['client@customer.example'],
        subject: 'Invoice MG-1',
        html: '<p>hi</p>',
        attachments: [{ filename: 'MG-1.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      })
    ).body.id;
    const sent = await waitForEmail(m, 'mga', id, SETTLED);
    expect(sent.status).toBe('accepted');
    const msg = eu.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    expect(msg.apiKey).toBe(EU_KEY);
    expect(msg.files[0].data.equals(INVOICE_PDF)).toBe(true);
    expect(sent.providerMessageId).toBe(msg.id.replace(/^<|>$/g, ''));

    const [target] = eu.targetsOf(msg);
    const delivered = await eu.postEvent(url('mga'), mailgunEvents.delivered(target));
    expect(delivered.status).toBe(200);
    // Mailgun's delivery-status code is the reply code; its "OK" has no enhanced code, so none is made up.
    const onDelivery = await waitForEmail(m, 'mga', id, (e) => e.status === 'delivered');
    expect(onDelivery.recipients[0]).toMatchObject({ reason: 'OK', responseCode: 250 });
    expect(onDelivery.recipients[0]).not.toHaveProperty('statusCode');
    expect((await eu.postEvent(url('mga'), mailgunEvents.delivered(target), { reuse: delivered.post.signature })).status).toBe(406);
    const forged = await eu.postEvent(url('mga'), mailgunEvents.failedPermanent(target), { signingKey: 'not-the-key' });
    const tampered = await eu.postEvent(url('mga'), mailgunEvents.failedPermanent(target), { tamper: 'timestamp' });
    const unsigned = await eu.postEvent(url('mga'), mailgunEvents.failedPermanent(target), { unsigned: true });
    // Older than Mailgun's 8 hours of retries.
    const stale = await eu.postEvent(url('mga'), mailgunEvents.failedPermanent(target), {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 3600,
    });
    expect([forged.status, tampered.status, unsigned.status, stale.status]).toEqual([401, 401, 401, 406]);
    await eu.postEvent(url('mga'), mailgunEvents.opened(target, { bot: 'apple' }));
    await eu.postEvent(url('mga'), mailgunEvents.opened(target));
    const email = await waitForEmail(m, 'mga', id, (e) => e.status === 'opened');
    expect(email.opens).toMatchObject({ count: 1, machineCount: 1 });
    expect(email.recipients[0].status).toBe('opened');
    // The delivery's reply described the delivery: the open moves the recipient without it.
    expect(email.recipients[0]).not.toHaveProperty('reason');
    expect(email.events.filter((e: any) => e.type === 'bounced')).toHaveLength(0);
  });

  it("records Mailgun's retry hours after the event, which carries the first attempt's signature; refuses its replay", async () => {
    const id = (await m.call('POST', '/v1/tenants/mga/emails', { to: ['late@customer.example'], subject: 'Invoice MG-2', text: 'hi' })).body
      .id;
    await waitForEmail(m, 'mga', id, SETTLED);
    const msg = eu.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    const [target] = eu.targetsOf(msg);
    // Signed two hours ago: the first attempt met an outage of ours (a 5xx), this is Mailgun's fourth try.
    const retry = await eu.postEvent(url('mga'), mailgunEvents.delivered(target), { timestamp: Math.floor(Date.now() / 1000) - 2 * 3600 });
    expect(retry.status).toBe(200);
    expect((await waitForEmail(m, 'mga', id, (e) => e.status === 'delivered')).status).toBe('delivered');
    expect((await eu.postEvent(url('mga'), mailgunEvents.delivered(target), { reuse: retry.post.signature })).status).toBe(406);
  });

  it('a signing key saved a moment ago verifies the very next post; the old one stops within a second (decision 0066)', async () => {
    const id = (await m.call('POST', '/v1/tenants/mga/emails', { to: ['rotated@customer.example'], subject: 'Invoice MG-2', text: 't' }))
      .body.id;
    await waitForEmail(m, 'mga', id, SETTLED);
    const msg = eu.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    const [target] = eu.targetsOf(msg);
    const oldKey = eu.signingKey;
    // This post leaves the tenant's settings, with the old key, kept in the webhooks app.
    expect((await eu.postEvent(url('mga'), mailgunEvents.delivered(target))).status).toBe(200);
    const rotated = await fetch(`${eu.url}/v5/accounts/http_signing_key`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`api:${EU_KEY}`).toString('base64')}` },
    });
    expect(rotated.status).toBe(200);
    expect(eu.signingKey).not.toBe(oldKey);
    expect((await save('mga', { fromAddress: 'billing@mg.acme.example', region: 'eu' })).status).toBe(200);
    expect((await eu.postEvent(url('mga'), mailgunEvents.opened(target))).status).toBe(200);
    await waitForEmail(m, 'mga', id, (e) => e.status === 'opened');
    await new Promise((r) => setTimeout(r, 1100));
    expect(
      (await eu.postEvent(url('mga'), mailgunEvents.clicked(target, { url: 'https://acme.example/pay' }), { signingKey: oldKey })).status,
    ).toBe(401);
  });

  it('the wrong region answers 401 like a bad key: failed at once with the region hint', async () => {
    await save('mgwrong', { fromAddress: 'billing@mg.acme.example', privateApiKey: EU_KEY });
    const settings = await m.call('GET', '/v1/tenants/mgwrong/email-settings');
    expect(settings.body.webhook).toMatchObject({ registered: false, error: expect.stringMatching(/401|region/i) });
    const id = (await m.call('POST', '/v1/tenants/mgwrong/emails', { to: ['c@customer.example'], subject: 's', text: 't' })).body.id;
    const email = await waitForEmail(m, 'mgwrong', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0].hint).toMatch(/Mailgun answered 401: check the private key, and whether the domain is in the EU or US region/);
  });

  it('the settings answer says both failures by key, beside the English: the registration and the last send', async () => {
    const settings = (await m.call('GET', '/v1/tenants/mgwrong/email-settings')).body;
    expect(settings.webhook).toMatchObject({ registered: false, error: expect.stringMatching(/401/), hintKey: 'mailgun.keyRejected' });
    const failed = settings.warnings.find((w: any) => w.code === 'last_send_failed');
    expect(failed).toEqual({
      code: 'last_send_failed',
      message: expect.stringMatching(/^the last send failed on .* \(http_401\): Mailgun answered 401/),
      failure: {
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        code: 'http_401',
        hint: expect.stringMatching(/^Mailgun answered 401/),
        hintKey: 'mailgun.keyRejected',
      },
    });
    expect(failed.message).toContain(failed.failure.at);
  });
});
