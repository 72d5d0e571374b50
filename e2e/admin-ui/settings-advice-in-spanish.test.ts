import { MailgunEmulator, startMailgunEmulator } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from '../support/mailroom-harness';
import { seriousViolations } from './support/axe';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(120_000);

const KEY = 'key-acme-eu-0000000000000000c3d4';
const WRONG_KEY = 'key-acme-old-000000000000000e5f6';

/**
 * A tenant whose Mailgun key was revoked: the webhook registration and the next send both fail with
 * Mailgun's 401. The Spanish settings screen says why and what to do in Spanish, from the keys the API
 * answers beside its English, for both.
 */
describe("the settings screen's advice, in Spanish", () => {
  let m: Mailroom;
  let browser: Browser;
  let mg: MailgunEmulator;
  beforeAll(async () => {
    mg = await startMailgunEmulator({ region: 'eu', keys: [KEY], domains: ['mg.acme.example'] });
    [m, browser] = await Promise.all([startMailroom({ MAILGUN_API_URL_EU: mg.url, MAILGUN_API_URL_US: mg.url }), launchBrowser()]);
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'free' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await mg?.close();
  });

  it('says why the webhook is not registered and what the last failure means, in Spanish', async () => {
    const saved = await m.call('PUT', '/v1/tenants/acme/email-settings', {
      mode: 'provider',
      senderName: 'ACME',
      replyTo: 'billing@acme.example',
      provider: {
        name: 'mailgun',
        fromAddress: 'billing@mg.acme.example',
        privateApiKey: WRONG_KEY,
        region: 'eu',
        domain: 'mg.acme.example',
      },
    });
    expect(saved.body.webhook).toMatchObject({ registered: false, hintKey: 'mailgun.keyRejected' });
    const id = (await m.call('POST', '/v1/tenants/acme/emails', { to: ['c@customer.example'], subject: 'Factura', text: 'Adjunta.' })).body
      .id;
    expect((await waitForEmail(m, 'acme', id, SETTLED)).status).toBe('failed');

    const { page, problems } = await openAdmin(browser, m, 'acme', '/', 'lang=es');
    const reason = 'Mailgun respondió 401: revisa la clave privada y si el dominio está en la región de la UE o de EE. UU.';
    // The key was refused: sending fails too, so the advice is what to check, not a key to paste.
    const webhook = page.locator('ul.warnings li[data-code="provider_credentials_refused"]');
    await webhook.waitFor();
    expect(await webhook.innerText()).toBe(
      `Mailgun rechazó los ajustes guardados: ${reason} Hasta que estén bien, no se podrá enviar ningún email por Mailgun ni registrar su webhook: revisa la clave privada de la API y la región (UE o EE. UU.) del dominio de envío y vuelve a guardar.`,
    );
    // The webhook box says to fix that first, with no key to paste (the reason is the warning's, above).
    expect(await page.locator('section.webhook .webhook-refused').innerText()).toMatch(
      /^No conectado: Mailgun rechazó los ajustes guardados.* Primero revisa la clave privada de la API y la región \(UE o EE\. UU\.\) del dominio de envío /,
    );

    const failed = page.locator('ul.warnings li[data-code="last_send_failed"]');
    expect(await failed.innerText()).toMatch(
      /^El último envío falló el \d{1,2} \S+ \d{4}, \d{1,2}:\d\d \(http_401\)\. Mailgun respondió 401: revisa/,
    );
    const warnings = await page.locator('ul.warnings').innerText();
    expect(warnings).not.toMatch(/answered|failed on|\d{4}-\d\d-\d\dT/);
    expect(problems).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
