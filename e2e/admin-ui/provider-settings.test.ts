import { MailgunEmulator, mailgunEvents, startMailgunEmulator } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitForEmail } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';

jest.setTimeout(60_000);

const EU_KEY = 'key-eu-tenant-000000000000001a2b';

/** Switching to the tenant's own Mailgun account in the EU region, against a local Mailgun emulator. */
describe('provider settings', () => {
  let m: Mailroom;
  let browser: Browser;
  let eu: MailgunEmulator;
  beforeAll(async () => {
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.acme.example'] });
    [m, browser] = await Promise.all([startMailroom({ MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: eu.url }), launchBrowser()]);
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'free' });
    await m.call('PUT', '/v1/tenants/acme/email-settings', { mode: 'platform', senderName: 'ACME', replyTo: 'billing@acme.example' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await eu?.close();
  });

  it('switches to Mailgun EU: the key is never shown again, only its last four, and the webhook says it is connected', async () => {
    const { page, problems } = await openAdmin(browser, m, 'acme', '/', 'lang=en');
    await page.getByLabel('Send from your email provider', { exact: true }).check();
    await page.getByLabel('Provider', { exact: true }).selectOption('mailgun');
    // Mailgun asks for one key, a region and a domain; no public key.
    expect(await page.getByLabel('Public API key', { exact: true }).count()).toBe(0);
    await page.getByLabel('Send from', { exact: true }).fill('billing@mg.acme.example');
    await page.getByLabel('API key', { exact: true }).fill(EU_KEY);
    await page.getByLabel('EU', { exact: true }).check();
    expect(await page.getByText('When you save, the webhook is registered in your account for you.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page).getByText('Settings saved.').waitFor();

    expect(Object.keys(eu.webhooksOf('mg.acme.example'))).toContain('delivered');
    await page.reload();
    const key = page.getByLabel('API key', { exact: true });
    await key.waitFor();
    expect(await key.inputValue()).toBe('');
    expect(await page.locator('[id="provider.privateApiKey-help"]').innerText()).toBe('Saved, ends in 1a2b. Leave it empty to keep it.');
    expect(await page.getByLabel('EU', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByText('Connected: delivered, opened and bounced emails show in the history.').isVisible()).toBe(true);
    expect(await page.getByText('No event received yet.').isVisible()).toBe(true);
    expect(await page.content()).not.toContain(EU_KEY);

    // Mailjet needs both keys; the stored Mailgun key does not count for it.
    await page.getByLabel('Provider', { exact: true }).selectOption('mailjet');
    expect(await page.locator('[id="provider.privateApiKey-help"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page)
      .getByText(/The settings were not saved/)
      .waitFor();
    expect(await page.locator('[id="provider.privateApiKey-error"]').innerText()).toMatch(/Private API key is required/);
    expect((await m.call('GET', '/v1/tenants/acme/email-settings')).body.provider).toMatchObject({ name: 'mailgun', region: 'eu' });
    expect(problems).toEqual([]);
  });

  it('an invoice sent through the API on Mailgun EU shows up delivered, then opened by a person, in the history and its detail', async () => {
    const sent = await m.call('POST', '/v1/tenants/acme/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice MG-7',
      html: '<p>Your invoice.</p>',
      attachments: [{ filename: 'MG-7.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      document: { type: 'invoice', id: 'inv_mg_7', number: 'MG-7' },
    });
    expect(sent.status).toBe(202);
    const id = sent.body.id as string;
    expect((await waitForEmail(m, 'acme', id, SETTLED)).status).toBe('accepted');
    const msg = eu.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    const [target] = eu.targetsOf(msg);
    const hook = `${m.webhooks.url}/webhooks/mailgun/acme`;

    expect((await eu.postEvent(hook, mailgunEvents.delivered(target))).status).toBe(200);
    await waitForEmail(m, 'acme', id, (e) => e.status === 'delivered');
    const { page, problems } = await openAdmin(browser, m, 'acme', '/history', 'lang=en');
    const row = page.locator(`table.history tbody tr[data-email-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('td.status').innerText()).toMatch(/Delivered/);

    // A mail app's prefetch is not counted; the client's own open is.
    await eu.postEvent(hook, mailgunEvents.opened(target, { bot: 'apple' }));
    await eu.postEvent(hook, mailgunEvents.opened(target));
    await waitForEmail(m, 'acme', id, (e) => e.status === 'opened');
    await page.reload();
    await row.waitFor();
    expect(await row.locator('td.status').innerText()).toMatch(/Opened \(by a person\)/);
    await row.getByRole('link', { name: 'Invoice MG-7', exact: true }).click();
    await page.getByRole('heading', { name: 'Invoice MG-7', level: 1 }).waitFor();
    const timeline = await page.locator('ol.timeline').innerText();
    for (const step of ['Queued', 'Delivered', 'Opened']) expect(timeline).toContain(step);
    expect(await page.getByText('Opens by a person: 1. Automatic opens (mail scanners, prefetch), not counted: 1.').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
