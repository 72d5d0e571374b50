import { startSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';

jest.setTimeout(60_000);

/** The settings screen driven in Chromium, against the real API. */
describe('settings screen', () => {
  let m: Mailroom;
  let browser: Browser;
  beforeAll(async () => {
    [m, browser] = await Promise.all([startMailroom({ TEST_EMAIL_TIMEOUT_MS: '5000' }, { worker: false }), launchBrowser()]);
    await m.call('PUT', '/v1/tenants/basic-co', { name: 'Basic Co', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/basic-co/email-settings', { mode: 'platform', senderName: 'Basic Co', replyTo: 'hola@basic.example' });
    await m.call('PUT', '/v1/tenants/prem-co', { name: 'Premium Co', plan: 'premium' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
  });

  it('a basic-plan tenant sees SMTP disabled, with the plans that allow it, in Spanish and in English', async () => {
    const { page, problems } = await openAdmin(browser, m, 'basic-co');
    await page.getByRole('heading', { name: 'Envío de emails', level: 1 }).waitFor();
    const smtp = page.getByLabel('Enviar desde tu SMTP', { exact: true });
    await smtp.waitFor();
    expect(await smtp.isDisabled()).toBe(true);
    expect(await page.getByLabel('Enviar desde la plataforma', { exact: true }).isChecked()).toBe(true);
    // The reason is tied to the radio, so a screen reader reads it with the option.
    const describedBy = (await smtp.getAttribute('aria-describedby'))!.split(' ');
    const reasons = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
    expect(reasons).toContain('Disponible en los planes Avanzado y Premium.');
    // The token left the address bar at once.
    expect(page.url()).not.toContain('#');
    expect(page.url()).not.toContain('token');

    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Email sending', level: 1 }).waitFor();
    expect(await page.getByText('Available on the Advanced and Premium plans.').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a premium tenant saves Gmail settings; after a reload the password field is empty and says it is saved', async () => {
    const { page, problems } = await openAdmin(browser, m, 'prem-co', '/', 'lang=en');
    await page.getByText('Nothing saved yet').waitFor();
    await page.getByLabel('Send from your SMTP server', { exact: true }).check();
    await page.getByLabel('Mail service', { exact: true }).selectOption('gmail');
    expect(await page.getByText('Server smtp.gmail.com, port 465, TLS from the start.').isVisible()).toBe(true);
    await page.getByLabel('Send from', { exact: true }).fill('billing@prem.example');
    await page.getByLabel('SMTP user name', { exact: true }).fill('billing@prem.example');
    await page.getByLabel('SMTP password', { exact: true }).fill('abcd efgh ijkl mnop');
    await page.getByLabel('Sender name', { exact: true }).fill('Premium Co');
    await page.getByLabel('Reply to', { exact: true }).fill('replies@prem.example');
    await page.getByLabel('Default BCC', { exact: true }).fill('archive@prem.example, Books <books@prem.example>');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page).getByText('Settings saved.').waitFor();

    const stored = await m.call('GET', '/v1/tenants/prem-co/email-settings');
    expect(stored.body).toMatchObject({
      mode: 'smtp',
      smtp: { preset: 'gmail', host: 'smtp.gmail.com', port: 465, tls: true, hasPassword: true, username: 'billing@prem.example' },
      bcc: [{ email: 'archive@prem.example' }, { email: 'books@prem.example', name: 'Books' }],
    });

    await page.reload();
    const password = page.getByLabel('SMTP password', { exact: true });
    await password.waitFor();
    expect(await password.inputValue()).toBe('');
    const passwordHelp = page.locator('[id="smtp.password-help"]');
    expect(await passwordHelp.innerText()).toMatch(/^Saved\. Leave it empty to keep it while the server and the user name stay the same\./);
    expect(await password.getAttribute('required')).toBeNull();
    // Another user name (or server) and the stored password no longer applies: it is asked for again.
    const user = page.getByLabel('SMTP user name', { exact: true });
    expect(await user.inputValue()).toBe('billing@prem.example');
    await user.fill('someone-else@prem.example');
    expect(await passwordHelp.innerText()).toMatch(/^The server or the user name changed: type the password again/);
    expect(await password.getAttribute('required')).not.toBeNull();
    await user.fill('billing@prem.example');
    expect(await passwordHelp.innerText()).toMatch(/^Saved\. Leave it empty to keep it/);
    // Saving again without typing the password keeps the stored one.
    await page.getByLabel('Sender name', { exact: true }).fill('Premium Co S.L.');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page).getByText('Settings saved.').waitFor();
    expect((await m.call('GET', '/v1/tenants/prem-co/email-settings')).body).toMatchObject({
      senderName: 'Premium Co S.L.',
      smtp: { hasPassword: true },
    });
    expect(problems).toEqual([]);
  });

  it("an IONOS tenant picks its contract's country, which picks the server; after a reload the country is still chosen", async () => {
    await m.call('PUT', '/v1/tenants/ionos-co', { name: 'Ionos Co', plan: 'premium' });
    const { page, problems } = await openAdmin(browser, m, 'ionos-co', '/', 'lang=es');
    await page.getByLabel('Enviar desde tu SMTP', { exact: true }).check();
    const service = page.getByLabel('Proveedor de email', { exact: true });
    await service.selectOption('ionos');
    const country = page.getByLabel('País de tu contrato IONOS', { exact: true });
    expect(await country.inputValue()).toBe('es');
    expect(await page.getByText('Servidor smtp.ionos.es, puerto 465').isVisible()).toBe(true);
    await country.selectOption('de');
    expect(await page.getByText('Servidor smtp.ionos.de, puerto 465').isVisible()).toBe(true);
    await page.getByLabel('Enviar desde', { exact: true }).fill('rechnung@ionos-co.example');
    await page.getByLabel('Usuario SMTP', { exact: true }).fill('rechnung@ionos-co.example');
    await page.getByLabel('Contraseña SMTP', { exact: true }).fill('ionos-password');
    await page.getByLabel('Nombre del email', { exact: true }).fill('Ionos Co');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await outcome(page).getByText('Ajustes guardados.').waitFor();
    expect((await m.call('GET', '/v1/tenants/ionos-co/email-settings')).body).toMatchObject({
      smtp: { preset: 'ionos', host: 'smtp.ionos.de', port: 465, tls: true },
    });

    await page.reload();
    await country.waitFor();
    expect(await country.inputValue()).toBe('de');
    // Another preset has no country to choose.
    await service.selectOption('gmail');
    expect(await country.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a tenant that never saved settings sees the platform defaults; a downgraded SMTP tenant sees the plan fallback warning', async () => {
    await m.call('PUT', '/v1/tenants/new-co', { name: 'New Co S.L.', plan: 'free', email: 'hola@new.example' });
    const fresh = await openAdmin(browser, m, 'new-co', '/', 'lang=en');
    await fresh.page.getByText('Nothing saved yet').waitFor();
    expect(await fresh.page.getByLabel('Send from the platform', { exact: true }).isChecked()).toBe(true);
    expect(await fresh.page.getByLabel('Sender name', { exact: true }).inputValue()).toBe('New Co S.L.');
    expect(await fresh.page.getByLabel('Reply to', { exact: true }).inputValue()).toBe('hola@new.example');
    expect(fresh.problems).toEqual([]);

    await m.call('PUT', '/v1/tenants/down-co', { name: 'Down Co', plan: 'premium' });
    const saved = await m.call('PUT', '/v1/tenants/down-co/email-settings', {
      mode: 'smtp',
      senderName: 'Down Co',
      smtp: {
        preset: 'other',
        fromAddress: 'b@down.example',
        username: 'b@down.example',
        password: 'pw-down-co',
        host: '127.0.0.1',
        port: 2525,
        tls: false,
      },
    });
    expect(saved.status).toBe(200);
    await m.call('PUT', '/v1/tenants/down-co', { name: 'Down Co', plan: 'basic' });
    const down = await openAdmin(browser, m, 'down-co', '/', 'lang=en');
    const warning = down.page.locator('ul.warnings li[data-code="plan_fallback"]');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/Basic plan does not allow sending through your own SMTP server/);
    expect(down.problems).toEqual([]);
  });

  it("shows the preset's sending limits with their sources, refuses a figure over them at the field, and saves a lower one", async () => {
    await m.call('PUT', '/v1/tenants/lim-co', { name: 'Limits Co', plan: 'premium' });
    const { page, problems } = await openAdmin(browser, m, 'lim-co', '/', 'lang=en');
    await page.getByText('Nothing saved yet').waitFor();
    await page.getByLabel('Send from your SMTP server', { exact: true }).check();
    await page.getByLabel('Mail service', { exact: true }).selectOption('outlook');
    const perMinute = page.getByLabel('Per minute', { exact: true });
    await perMinute.waitFor();
    expect(await perMinute.getAttribute('placeholder')).toBe('30');
    expect(await page.locator('[id="limits.perMinute-help"]').innerText()).toBe('Office 365: 30 by default, at most 30.');
    expect(await page.locator('[id="limits.perDay-help"]').innerText()).toBe('Office 365: 10,000 by default, at most 10,000.');
    expect(await page.locator('[id="limits.perHour-help"]').innerText()).toBe('No limit unless you set one.');
    expect(await page.getByRole('link', { name: 'learn.microsoft.com' }).getAttribute('href')).toMatch(/exchange-online-limits/);
    // Another preset, other figures.
    await page.getByLabel('Mail service', { exact: true }).selectOption('gmail');
    expect(await page.locator('[id="limits.perDay-help"]').innerText()).toBe('Gmail: 500 by default, at most 2,000.');
    expect(await page.getByLabel('Per day (24 hours)', { exact: true }).getAttribute('placeholder')).toBe('500');

    await page.getByLabel('Send from', { exact: true }).fill('billing@lim.example');
    await page.getByLabel('SMTP user name', { exact: true }).fill('billing@lim.example');
    await page.getByLabel('SMTP password', { exact: true }).fill('abcd efgh ijkl mnop');
    await page.getByLabel('Sender name', { exact: true }).fill('Limits Co');
    await page.getByLabel('Per day (24 hours)', { exact: true }).fill('3000');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page)
      .getByText(/The settings were not saved/)
      .waitFor();
    const perDay = page.getByLabel('Per day (24 hours)', { exact: true });
    expect(await perDay.getAttribute('aria-invalid')).toBe('true');
    expect(await perDay.getAttribute('aria-describedby')).toContain('limits.perDay-error');
    expect(await page.locator('[id="limits.perDay-error"]').innerText()).toMatch(/at most 2,000: Gmail's published sending limit/);
    expect((await m.call('GET', '/v1/tenants/lim-co/email-settings')).body.configured).toBe(false);

    await perDay.fill('100');
    await page.getByLabel('Per minute', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page).getByText('Settings saved.').waitFor();
    expect((await m.call('GET', '/v1/tenants/lim-co/email-settings')).body.limits).toMatchObject({
      perMinute: { value: 5, from: 'tenant' },
      perDay: { value: 100, from: 'tenant', maximum: 2000 },
      own: { perMinute: 5, perDay: 100 },
    });
    await page.reload();
    await page.getByLabel('Per day (24 hours)', { exact: true }).waitFor();
    expect(await page.getByLabel('Per day (24 hours)', { exact: true }).inputValue()).toBe('100');
    expect(await page.getByLabel('Per hour', { exact: true }).inputValue()).toBe('');
    expect(problems).toEqual([]);
  });

  it("shows the API's field errors at the field, tied to it with aria-describedby", async () => {
    const { page } = await openAdmin(browser, m, 'prem-co', '/', 'lang=en');
    await page.getByLabel('Send from your SMTP server', { exact: true }).waitFor();
    await page.getByLabel('Mail service', { exact: true }).selectOption('other');
    await page.getByLabel('SMTP server', { exact: true }).fill('');
    await page.getByLabel('Reply to', { exact: true }).fill('not-an-address');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page)
      .getByText(/The settings were not saved/)
      .waitFor();
    const replyTo = page.getByLabel('Reply to', { exact: true });
    expect(await replyTo.getAttribute('aria-invalid')).toBe('true');
    expect(await replyTo.getAttribute('aria-describedby')).toContain('replyTo-error');
    expect(await page.locator('[id="replyTo-error"]').innerText()).toMatch(/not a valid email address/);
    expect(await page.locator('[id="smtp.host-error"]').innerText()).toMatch(/SMTP server is required/);
    // Nothing was written.
    expect((await m.call('GET', '/v1/tenants/prem-co/email-settings')).body.smtp.preset).toBe('gmail');
  });

  it("tests the draft before saving: Gmail's 535 shows the server's words and the app-password hint", async () => {
    const sink = await startSmtpSink({ tls: 'implicit', auth: { users: { 'billing@prem.example': 'the-right-one' } } });
    try {
      const { page, problems } = await openAdmin(browser, m, 'prem-co', '/', 'lang=en');
      // The Gmail preset, with its server moved to a local SMTP server that answers as Gmail does.
      expect(await page.getByLabel('Mail service', { exact: true }).inputValue()).toBe('gmail');
      await page.getByText('Server settings (filled in for this provider').click();
      await page.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
      await page.getByLabel('SMTP port', { exact: true }).fill(String(sink.port));
      await page.getByLabel('TLS from the first byte', { exact: true }).check();
      await page.getByLabel('SMTP password', { exact: true }).fill('a-wrong-password');
      expect(await page.locator('#test-help').innerText()).toMatch(/as they are in this form, without saving/);
      await page.getByRole('button', { name: 'Send test email' }).click();
      const failure = page.getByRole('alert').filter({ hasText: 'The test email to billing@prem.example was not sent.' });
      await failure.waitFor();
      expect(await failure.locator('.server-words').innerText()).toMatch(/^535 5\.7\.8 Username and Password not accepted/);
      expect(await failure.locator('.hint').innerText()).toMatch(/app password/);
      expect(sink.authAttempts.map((a) => a.ok)).toEqual([false]);
      expect(sink.messages).toHaveLength(0);
      // A draft is not saved.
      expect((await m.call('GET', '/v1/tenants/prem-co/email-settings')).body.smtp.host).toBe('smtp.gmail.com');
      expect(problems).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('an expired or unknown token asks the platform to reopen the screen', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${m.api.url}/ui/?lang=en#token=v1.expired.token&tenant=prem-co`);
    await page.getByRole('heading', { name: 'Your session has expired' }).waitFor();
    expect(await page.getByText('Reopen it from your invoicing platform').isVisible()).toBe(true);
    const bare = await browser.context.newPage();
    await bare.goto(`${m.api.url}/ui/?lang=en`);
    await bare.getByRole('heading', { name: 'Open this screen from your invoicing platform' }).waitFor();
  });
});
