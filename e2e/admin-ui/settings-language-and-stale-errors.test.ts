import { startSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';

jest.setTimeout(60_000);

/** The settings screen in Spanish: the test email it asks for is Spanish, and a fixed field drops its complaint. */
describe('settings screen: the admin language beyond the screen, and no stale errors', () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    [m, browser, sink] = await Promise.all([
      startMailroom({ TEST_EMAIL_TIMEOUT_MS: '5000' }, { worker: false }),
      launchBrowser(),
      startSmtpSink({ tls: 'starttls', auth: { users: { 'me@lang.example': 'pw-lang' } } }),
    ]);
    await m.call('PUT', '/v1/tenants/lang-co', { name: 'Idioma SL', plan: 'advanced' });
    const saved = await m.call('PUT', '/v1/tenants/lang-co/email-settings', {
      mode: 'smtp',
      senderName: 'Idioma SL',
      replyTo: 'hola@lang.example',
      smtp: {
        preset: 'other',
        fromAddress: 'me@lang.example',
        username: 'me@lang.example',
        password: 'pw-lang',
        host: '127.0.0.1',
        port: sink.port,
        tls: false,
      },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await sink?.close();
    await m?.stop();
  });

  it('the Spanish screen sends a Spanish test email: subject and body at the SMTP sink', async () => {
    const { page, problems } = await openAdmin(browser, m, 'lang-co');
    await page.getByRole('heading', { name: 'Envío de emails', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Enviar email de prueba' }).click();
    await page.getByText('Enviado a me@lang.example. Comprueba que ha llegado.').waitFor();
    const [msg] = await sink.waitForMessages(1);
    expect(msg.parsed.subject).toBe('Email de prueba de Mailroom para Idioma SL');
    expect(msg.parsed.text).toContain('los documentos de Idioma SL se pueden enviar por email a través de tu servidor SMTP 127.0.0.1.');
    expect(problems).toEqual([]);
  });

  it('after a failed save, correcting the field takes away its error and the "not saved" notice, for the eye and aria', async () => {
    const { page, problems } = await openAdmin(browser, m, 'lang-co');
    const replyTo = page.getByLabel('Responder a', { exact: true });
    await replyTo.fill('no-es-un-email');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await outcome(page)
      .getByText(/^Los ajustes no se han guardado/)
      .waitFor();
    const error = page.getByText('No es una dirección de email válida.');
    expect(await error.isVisible()).toBe(true);
    expect(await replyTo.getAttribute('aria-invalid')).toBe('true');

    await replyTo.fill('respuestas@lang.example');
    await outcome(page).waitFor({ state: 'detached' });
    expect(await error.count()).toBe(0);
    expect(await replyTo.getAttribute('aria-invalid')).not.toBe('true');
    expect(await replyTo.getAttribute('aria-describedby')).not.toMatch(/error/);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a test email the server took after a failed save takes the "not saved" notice away', async () => {
    const { page } = await openAdmin(browser, m, 'lang-co');
    await page.getByRole('heading', { name: 'Envío de emails', level: 1 }).waitFor();
    // The save fails on the way (a gateway's 503), not on the settings: the same settings can be tested.
    await page.route('**/email-settings', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'store_unavailable', message: 'the store did not answer' } }),
          })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Guardar' }).click();
    await outcome(page)
      .getByText(/^Los ajustes no se han guardado/)
      .waitFor();
    await page.getByRole('button', { name: 'Enviar email de prueba' }).click();
    await page.getByText('Enviado a me@lang.example. Comprueba que ha llegado.').waitFor();
    await outcome(page).waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
