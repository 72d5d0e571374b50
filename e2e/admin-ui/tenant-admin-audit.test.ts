import { RunningSmtpSink, SendgridEmulator, startSendgridEmulator, startSmtpSink } from '@mailroom/testkit';
import type { Locator } from 'playwright-core';
import { Mailroom, startMailroom, waitForEmail } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(120_000);

const PHONE = { width: 375, height: 800 };
const SMTP_USER = 'facturas@taller.example';
const SMTP_PASS = 'pw-taller-0001';
const SENDGRID_KEY = 'SG.taller-000000000000a1b2';

/** Whether a thing is seen whole on the phone's screen, without scrolling sideways. */
const withinPhone = async (l: Locator) => {
  const box = (await l.boundingBox())!;
  return box.x >= 0 && box.x + box.width <= PHONE.width;
};

/** A tenant admin's black-box walk of the screens (Spanish first): each case failed before its fix. */
describe("the tenant admin's audit of the screens", () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: RunningSmtpSink;
  let sendgrid: SendgridEmulator;

  beforeAll(async () => {
    [sink, sendgrid] = await Promise.all([
      startSmtpSink({
        tls: 'starttls',
        auth: { users: { [SMTP_USER]: SMTP_PASS } },
        rejectRecipients: { 'cerrado@cliente.example': '550 5.1.1 <cerrado@cliente.example>: mailbox unavailable' },
      }),
      startSendgridEmulator({ apiKeys: [SENDGRID_KEY] }),
    ]);
    [m, browser] = await Promise.all([startMailroom({ SENDGRID_API_URL: sendgrid.url }), launchBrowser()]);
    await m.call('PUT', '/v1/tenants/ferreteria', { name: 'Ferretería Núñez S.L.', plan: 'basic', email: 'hola@ferreteria.example' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await Promise.all([sink?.close(), sendgrid?.close()]);
  });

  it("at 375 px a suppressed address's Quitar button and an email's recipient status are on the screen, not off to the side", async () => {
    const added = await m.call('POST', '/v1/tenants/ferreteria/suppressions', {
      address: 'bloqueado@cliente.example',
      note: 'pidió no recibir',
    });
    expect(added.status).toBe(201);
    const sent = await m.call('POST', '/v1/tenants/ferreteria/emails', {
      to: ['bloqueado@cliente.example'],
      subject: 'Presupuesto P-1',
      text: 'Adjunto.',
    });
    expect(sent.body.status).toBe('suppressed');
    await waitForEmail(m, 'ferreteria', sent.body.id, (e) => e.status === 'suppressed');

    const list = await openAdmin(browser, m, 'ferreteria', '/suppressions', 'lang=es');
    await list.page.setViewportSize(PHONE);
    const remove = list.page.getByRole('button', { name: 'Quitar bloqueado@cliente.example de la lista' });
    await remove.waitFor();
    expect(await withinPhone(remove)).toBe(true);
    expect(await withinPhone(list.page.locator('table.suppressions caption'))).toBe(true);
    // Each value keeps its column's name beside it.
    expect(
      await list.page
        .locator('table.suppressions tbody td')
        .first()
        .evaluate((td) => (globalThis as any).getComputedStyle(td, '::before').content),
    ).toBe('"Motivo: "');

    const detail = await openAdmin(browser, m, 'ferreteria', `/emails/${sent.body.id}`, 'lang=es');
    await detail.page.setViewportSize(PHONE);
    const status = detail.page.locator('table.recipients tbody .badge').first();
    await status.waitFor();
    expect(await withinPhone(status)).toBe(true);
    expect(list.problems.concat(detail.problems)).toEqual([]);
  });
  it('an email the suppression list held back does not say what it was sent through; removing the address says only the next emails go', async () => {
    await m.call('POST', '/v1/tenants/ferreteria/suppressions', { address: 'retenido@cliente.example' });
    const held = await m.call('POST', '/v1/tenants/ferreteria/emails', {
      to: ['retenido@cliente.example'],
      subject: 'Factura F-9',
      text: 'Adjunta.',
    });
    expect(held.body.status).toBe('suppressed');
    const detail = await openAdmin(browser, m, 'ferreteria', `/emails/${held.body.id}`, 'lang=es');
    await detail.page.locator('table.recipients').waitFor();
    const summary = await detail.page.locator('dl.summary').innerText();
    expect(summary).toContain('No enviado: dirección en la lista de supresión');
    expect(summary).not.toContain('Enviado por');

    const list = await openAdmin(browser, m, 'ferreteria', '/suppressions', 'address=retenido@&lang=es');
    const confirmations: string[] = [];
    list.page.on('dialog', (d) => {
      confirmations.push(d.message());
      void d.accept();
    });
    await list.page.getByRole('button', { name: 'Quitar retenido@cliente.example de la lista' }).click();
    await list.page
      .locator('#remove-outcome')
      .getByText(/Se ha quitado/)
      .waitFor();
    expect(confirmations).toEqual([
      '¿Quitar retenido@cliente.example de la lista de supresión? Los próximos emails a esta dirección sí se enviarán; los que ya no se enviaron no salen solos.',
    ]);
    expect(await list.page.locator('#remove-outcome').innerText()).toMatch(
      /los próximos emails a esta dirección sí se enviarán\. Los que ya no se enviaron no salen solos/,
    );
    // And so it is: the held-back email stays as it was.
    expect((await m.call('GET', `/v1/tenants/ferreteria/emails/${held.body.id}`)).body.status).toBe('suppressed');
    expect(detail.problems.concat(list.problems)).toEqual([]);
  });
  it('adds an address to the suppression list by hand: a wrong one is said at its field in Spanish, a repeat keeps its entry', async () => {
    const { page, problems } = await openAdmin(browser, m, 'ferreteria', '/suppressions', 'lang=es');
    const address = page.getByLabel('Dirección de email', { exact: true });
    const add = page.getByRole('button', { name: 'Añadir a la lista' });
    await address.fill('cliente-sin-arroba');
    await add.click();
    await page.locator('[id="a-address-error"]').getByText('No es una dirección de email válida.').waitFor();
    await address.fill('');
    await add.click();
    await page.locator('[id="a-address-error"]').getByText('Rellena «Dirección de email».').waitFor();
    await address.fill('cliente-sin-arroba');
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    // The refused field has the focus, so its error (aria-describedby) is read out.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('a-address');

    await address.fill('Baja@Cliente.example');
    await page.getByLabel('Nota (opcional)', { exact: true }).fill('pidió la baja por teléfono');
    await add.click();
    await page
      .locator('#add-outcome')
      .getByText('Se ha añadido baja@cliente.example a la lista: tus emails ya no se envían a esta dirección.')
      .waitFor();
    expect(await address.inputValue()).toBe('');
    const row = page.locator('table.suppressions tr[data-address="baja@cliente.example"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('pidió la baja por teléfono');
    const stored = await m.call('GET', '/v1/tenants/ferreteria/suppressions?address=baja@cliente.example');
    expect(stored.body.items).toMatchObject([{ address: 'baja@cliente.example', reason: 'manual', detail: 'pidió la baja por teléfono' }]);

    await address.fill('baja@cliente.example');
    await add.click();
    await page
      .locator('#add-outcome')
      .getByText('baja@cliente.example ya estaba en la lista (Añadida a mano): se queda como estaba.')
      .waitFor();
    expect(problems).toEqual([]);
  });
  it("an email's detail names the provider as people write it and says a Retry's new queuing in Spanish, not 'sendgrid' and 'retry'", async () => {
    await m.call('PUT', '/v1/tenants/taller', { name: 'Taller Pérez', plan: 'premium' });
    const smtp = await m.call('PUT', '/v1/tenants/taller/email-settings', {
      mode: 'smtp',
      senderName: 'Taller Pérez',
      replyTo: SMTP_USER,
      smtp: {
        preset: 'other',
        fromAddress: SMTP_USER,
        username: SMTP_USER,
        password: SMTP_PASS,
        host: '127.0.0.1',
        port: sink.port,
        tls: false,
      },
    });
    expect(smtp.status).toBe(200);
    const refused = await m.call('POST', '/v1/tenants/taller/emails', {
      to: ['cerrado@cliente.example'],
      subject: 'Factura T-1',
      text: 'Adjunta.',
    });
    await waitForEmail(m, 'taller', refused.body.id, (e) => e.status === 'failed');
    const detail = await openAdmin(browser, m, 'taller', `/emails/${refused.body.id}`, 'lang=es');
    await detail.page.getByRole('button', { name: 'Reintentar' }).click();
    const timeline = detail.page.locator('ol.timeline');
    await timeline.getByText('En cola de nuevo: se pidió Reintentar').waitFor();
    expect(await timeline.innerText()).not.toMatch(/\bretry\b/);

    const provider = await m.call('PUT', '/v1/tenants/taller/email-settings', {
      mode: 'provider',
      senderName: 'Taller Pérez',
      replyTo: SMTP_USER,
      provider: { name: 'sendgrid', fromAddress: SMTP_USER, privateApiKey: SENDGRID_KEY },
    });
    expect(provider.status).toBe(200);
    const sent = await m.call('POST', '/v1/tenants/taller/emails', {
      to: ['cliente@cliente.example'],
      subject: 'Factura T-2',
      text: 'Adjunta.',
    });
    await waitForEmail(m, 'taller', sent.body.id, (e) => e.status === 'accepted');
    const viaProvider = await openAdmin(browser, m, 'taller', `/emails/${sent.body.id}`, 'lang=es');
    expect(await viaProvider.page.locator('dl.summary').innerText()).toContain('tu cuenta de SendGrid');
    expect(detail.problems.concat(viaProvider.problems)).toEqual([]);
  });
  it("a test email's result stays with the settings it tested: kept after saving them, gone once the admin picks another mode", async () => {
    await m.call('PUT', '/v1/tenants/imprenta', { name: 'Imprenta Gómez', plan: 'premium', email: 'hola@imprenta.example' });
    const { page, problems } = await openAdmin(browser, m, 'imprenta', '/', 'lang=es');
    await page.getByLabel('Enviar desde tu SMTP', { exact: true }).check();
    await page.getByLabel('Proveedor de email', { exact: true }).selectOption('other');
    await page.getByLabel('Servidor SMTP', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Puerto SMTP', { exact: true }).fill(String(sink.port));
    await page.getByLabel('TLS desde el primer byte', { exact: true }).uncheck();
    await page.getByLabel('Enviar desde', { exact: true }).fill(SMTP_USER);
    await page.getByLabel('Usuario SMTP', { exact: true }).fill(SMTP_USER);
    await page.getByLabel('Contraseña SMTP', { exact: true }).fill(SMTP_PASS);
    await page.getByRole('button', { name: 'Enviar email de prueba' }).click();
    const sent = page.locator('.test-result').getByText(`Enviado a ${SMTP_USER}.`, { exact: false });
    await sent.waitFor();
    await page.getByRole('button', { name: 'Guardar', exact: true }).click();
    await page.locator('#save-outcome').getByText('Ajustes guardados.').waitFor();
    expect(await sent.isVisible()).toBe(true);

    await page.getByLabel('Enviar desde tu proveedor', { exact: true }).check();
    await page.getByLabel('Proveedor', { exact: true }).waitFor();
    expect(await page.locator('.test-result').innerText()).toBe('');
    // The limits speak of the provider chosen, not of "this server".
    expect(await page.locator('#limits-intro').innerText()).toMatch(/^Mailroom no conoce límites publicados de SendGrid: /);
    expect(problems).toEqual([]);
  });
});
