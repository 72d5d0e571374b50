import { MailgunEmulator, refusingPort, startMailgunEmulator } from '@mailroom/testkit';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(120_000);

const EU_KEY = 'key-acme-eu-right-000000000000c3d4';

/**
 * The "Delivery events" box of a provider whose saved key was refused: pasting a webhook verification
 * key cannot help while the key itself is wrong (nothing can be sent either), so the box says to fix
 * the key first, in the reader's language, and offers no verification key field. A webhook left
 * unregistered for another reason (the provider could not be reached) still offers it.
 */
describe('the webhook verification key is not asked for while the provider refuses the saved key', () => {
  let m: Mailroom;
  let browser: Browser;
  let eu: MailgunEmulator;
  beforeAll(async () => {
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.acme.example'] });
    // The US region: nothing listens there, so its registration fails without a refusal.
    const unreachable = `http://127.0.0.1:${await refusingPort()}`;
    [m, browser] = await Promise.all([startMailroom({ MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: unreachable }), launchBrowser()]);
    const saveMailgun = async (tenant: string, privateApiKey: string, region: 'eu' | 'us') => {
      await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan: 'free' });
      const saved = await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
        mode: 'provider',
        senderName: 'ACME',
        replyTo: 'billing@acme.example',
        provider: { name: 'mailgun', fromAddress: 'billing@mg.acme.example', privateApiKey, region },
      });
      return saved.body.warnings.map((w: { code: string }) => w.code);
    };
    expect(await saveMailgun('refused', 'key-wrong-000000000000000000', 'eu')).toContain('provider_credentials_refused');
    expect(await saveMailgun('unreachable', EU_KEY, 'us')).toContain('webhook_not_registered');
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await eu?.close();
  });

  const webhookBox = (page: import('playwright-core').Page) => page.locator('section.webhook');

  it('English: fix the key first, and no verification key field', async () => {
    const { page, problems } = await openAdmin(browser, m, 'refused', '/', 'lang=en');
    await webhookBox(page).getByText('Not connected: Mailgun refused').waitFor();
    expect(await webhookBox(page).locator('.webhook-refused').innerText()).toBe(
      'Not connected: Mailgun refused the saved settings, so the webhook cannot be registered yet. First check the private API key, and the region (EU or US) of the sending domain, then save again: the webhook is then registered for you, with nothing to paste.',
    );
    expect(await page.getByLabel('Webhook verification key', { exact: true }).count()).toBe(0);
    expect(await page.locator('[id="provider.webhookVerificationKey"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('Spanish: the same, in Spanish', async () => {
    const { page, problems } = await openAdmin(browser, m, 'refused', '/', 'lang=es');
    await webhookBox(page).getByText('No conectado: Mailgun rechazó').waitFor();
    expect(await webhookBox(page).locator('.webhook-refused').innerText()).toBe(
      'No conectado: Mailgun rechazó los ajustes guardados, así que aún no se puede registrar el webhook. Primero revisa la clave privada de la API y la región (UE o EE. UU.) del dominio de envío y vuelve a guardar: el webhook se registrará entonces automáticamente, sin nada que pegar.',
    );
    expect(await page.getByLabel('Clave de verificación del webhook', { exact: true }).count()).toBe(0);
    expect(await page.locator('[id="provider.webhookVerificationKey"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a webhook not registered for another reason still offers the verification key field', async () => {
    const { page, problems } = await openAdmin(browser, m, 'unreachable', '/', 'lang=en');
    await page.getByLabel('Webhook verification key', { exact: true }).waitFor();
    expect(await webhookBox(page).locator('.webhook-refused').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('once the right key is saved, the webhook is registered and the advice goes', async () => {
    const { page, problems } = await openAdmin(browser, m, 'refused', '/', 'lang=en');
    await page.getByLabel('API key', { exact: true }).fill(EU_KEY);
    await page.getByRole('button', { name: 'Save' }).click();
    await webhookBox(page).getByText('Connected: delivered, opened and bounced emails show in the history.').waitFor();
    expect(await webhookBox(page).locator('.webhook-refused').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
