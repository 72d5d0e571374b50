import { MailgunEmulator, MailjetEmulator, startMailgunEmulator, startMailjetEmulator } from '@mailroom/testkit';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';

jest.setTimeout(120_000);

const EU_KEY = 'key-acme-eu-refused-00000000a1b2';
const MJ = { public: 'mj-public-acme-0001', private: 'mj-private-acme-0001' };

/**
 * The audit's two cases, typed into the Spanish settings screen: a Mailgun key saved with the wrong
 * region, and a Mailjet pair with a wrong private key. The save's outcome (where the focus goes) is
 * not a bare "Ajustes guardados.": it says, in Spanish, what the provider refused and what to fix.
 */
describe('a provider refusing the saved settings, on the Spanish screen', () => {
  let m: Mailroom;
  let browser: Browser;
  let eu: MailgunEmulator;
  let us: MailgunEmulator;
  let mj: MailjetEmulator;
  beforeAll(async () => {
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.acme.example'] });
    us = await startMailgunEmulator({ region: 'us', keys: [], domains: [] });
    mj = await startMailjetEmulator({ keys: [MJ], validatedSenders: ['billing@mj.example'] });
    [m, browser] = await Promise.all([
      startMailroom({ MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: us.url, MAILJET_API_URL: mj.url }),
      launchBrowser(),
    ]);
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'free' });
    await m.call('PUT', '/v1/tenants/acme/email-settings', { mode: 'platform', senderName: 'ACME', replyTo: 'billing@acme.example' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await Promise.all([eu?.close(), us?.close(), mj?.close()]);
  });

  it('says at save time that Mailgun refused the region and Mailjet the keys, and what to fix', async () => {
    const { page, problems } = await openAdmin(browser, m, 'acme', '/', 'lang=es');
    await page.getByLabel('Enviar desde tu proveedor', { exact: true }).check();
    await page.getByLabel('Proveedor', { exact: true }).selectOption('mailgun');
    await page.getByLabel('Enviar desde', { exact: true }).fill('billing@mg.acme.example');
    await page.getByLabel('Clave de la API', { exact: true }).fill(EU_KEY);
    await page.getByLabel('EE. UU.', { exact: true }).check();
    await page.getByRole('button', { name: 'Guardar' }).click();

    const saved = outcome(page);
    await saved.getByText('Ajustes guardados, pero revisa esto:').waitFor();
    // Sending fails too: what to check, not "paste the verification key".
    const mailgunRefused = await saved.locator('li[data-code="provider_credentials_refused"]').innerText();
    expect(mailgunRefused).toBe(
      'Mailgun rechazó los ajustes guardados: Mailgun respondió 401: revisa la clave privada y si el dominio está en la región de la UE o de EE. UU. Hasta que estén bien, no se podrá enviar ningún email por Mailgun ni registrar su webhook: revisa la clave privada de la API y la región (UE o EE. UU.) del dominio de envío y vuelve a guardar.',
    );
    expect(await saved.locator('li[data-code="webhook_not_registered"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('save-outcome');
    // Said once: the list is in the outcome, not repeated above it.
    expect(await page.locator('ul.warnings').count()).toBe(1);

    await page.getByLabel('Proveedor', { exact: true }).selectOption('mailjet');
    await page.getByLabel('Enviar desde', { exact: true }).fill('billing@mj.example');
    await page.getByLabel('Clave pública de la API', { exact: true }).fill(MJ.public);
    await page.getByLabel('Clave privada de la API', { exact: true }).fill('mj-private-wrong-0009');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await saved.locator('li[data-code="provider_credentials_refused"]', { hasText: 'Mailjet' }).waitFor();
    expect(await saved.innerText()).toContain('Mailjet rechazó las claves de la API: revisa la pareja de clave pública y clave privada.');
    expect(await saved.innerText()).toContain(
      'revisa que la clave pública y la clave privada de la API sean la pareja de una misma cuenta de Mailjet y vuelve a guardar.',
    );
    expect(await saved.innerText()).not.toMatch(/^Ajustes guardados\.$/m);
    expect(await saved.innerText()).not.toMatch(/pega|clave de verificación/i);

    // Fixed: the right private key saves with nothing to check.
    await page.getByLabel('Clave privada de la API', { exact: true }).fill(MJ.private);
    await page.getByRole('button', { name: 'Guardar' }).click();
    await saved.getByText('Ajustes guardados.', { exact: true }).waitFor();
    expect(await page.locator('ul.warnings').count()).toBe(0);

    // A later edit: the notice was about the form as it was saved, so it goes.
    await page.getByLabel('Enviar desde', { exact: true }).fill('facturas@mj.example');
    await saved.getByText('Ajustes guardados.', { exact: true }).waitFor({ state: 'detached' });
    expect(await page.locator('#save-outcome').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
