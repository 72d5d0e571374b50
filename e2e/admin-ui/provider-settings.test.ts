import { MailgunEmulator, startMailgunEmulator } from '@mailroom/testkit';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
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
    [m, browser] = await Promise.all([
      startMailroom({ MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: eu.url }, { worker: false }),
      launchBrowser(),
    ]);
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
    expect(await page.locator('[id="provider.privateApiKey-error"]').innerText()).toMatch(/private API key is required/);
    expect((await m.call('GET', '/v1/tenants/acme/email-settings')).body.provider).toMatchObject({ name: 'mailgun', region: 'eu' });
    expect(problems).toEqual([]);
  });
});
