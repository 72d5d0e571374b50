import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import type { Page } from 'playwright-core';
import { Mailroom, startMailroom, waitFor, waitForEmail } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';

jest.setTimeout(120_000);

const USER = 'billing@acme.example';
const PASS = 'pw-acme-0001';

const focusedId = (page: Page) => page.evaluate(() => (globalThis as any).document.activeElement?.id as string | undefined);
const pageWidth = (page: Page) => page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);

/** The audit of the admin screens (Spanish first): each case failed before its fix. */
describe('the admin screens speak the admin language and fit a phone', () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: RunningSmtpSink;

  const send = async (tenant: string, body: Record<string, unknown>) => {
    const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, { text: 'Adjunta.', ...body });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  beforeAll(async () => {
    [m, browser, sink] = await Promise.all([
      startMailroom({ TEST_EMAIL_TIMEOUT_MS: '5000' }),
      launchBrowser(),
      startSmtpSink({
        tls: 'starttls',
        auth: { users: { [USER]: PASS } },
        rejectRecipients: { 'blocked@customer.example': '550 5.7.1 <blocked@customer.example>: Recipient address rejected: Access denied' },
      }),
    ]);
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'premium' });
    const saved = await m.call('PUT', '/v1/tenants/acme/email-settings', {
      mode: 'smtp',
      senderName: 'ACME',
      smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false },
    });
    expect(saved.status).toBe(200);
    await m.call('PUT', '/v1/tenants/plat', { name: 'Plat S.L.', plan: 'basic', email: 'hola@plat.example' });
    await m.call('PUT', '/v1/tenants/plat/email-settings', { mode: 'platform', senderName: 'Plat', replyTo: 'respuestas@plat.example' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await sink?.close();
  });

  it('settings: warnings from their code, field errors with the label and no field names, Spanish labels (items 1, 4)', async () => {
    await m.call('PUT', '/v1/tenants/down', { name: 'Down', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/down/email-settings', {
      mode: 'smtp',
      senderName: 'Down',
      replyTo: 'r@down.example',
      smtp: {
        preset: 'other',
        fromAddress: 'b@down.example',
        username: 'b@down.example',
        password: 'pw-down',
        host: '127.0.0.1',
        port: 2525,
        tls: false,
      },
    });
    await m.call('PUT', '/v1/tenants/down', { name: 'Down', plan: 'basic' });
    const { page, problems } = await openAdmin(browser, m, 'down', '/', 'lang=es');
    const warning = page.locator('ul.warnings li[data-code="plan_fallback"]');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(
      /^Tu plan Básico no permite enviar desde tu propio servidor SMTP \(hace falta el plan Avanzado o Premium\)/,
    );
    for (const label of ['Puerto SMTP', 'Usuario SMTP', 'Contraseña SMTP'])
      expect(await page.getByLabel(label, { exact: true }).isVisible()).toBe(true);

    await page.getByLabel('Nombre del email', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Guardar' }).click();
    const banner = outcome(page);
    await banner.getByText(/Los ajustes no se han guardado/).waitFor();
    expect(await banner.innerText()).toContain('revisa «Nombre del email»');
    expect(await page.locator('[id="senderName-error"]').innerText()).toBe('✗ Rellena «Nombre del email».');
    const all = await page.locator('main').innerText();
    expect(all).not.toMatch(/senderName|is required|plan does not allow/);
    expect(problems).toEqual([]);
  });

  it('settings: a figure over the limit and a port out of range are said in Spanish at the field (item 1)', async () => {
    await m.call('PUT', '/v1/tenants/lim', { name: 'Lim', plan: 'premium' });
    const { page } = await openAdmin(browser, m, 'lim', '/', 'lang=es');
    await page.getByLabel('Enviar desde tu SMTP', { exact: true }).check();
    await page.getByLabel('Proveedor de email', { exact: true }).selectOption('other');
    await page.getByLabel('Servidor SMTP', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Puerto SMTP', { exact: true }).fill('70000');
    await page.getByLabel('Enviar desde', { exact: true }).fill('a@lim.example');
    await page.getByLabel('Usuario SMTP', { exact: true }).fill('a@lim.example');
    await page.getByLabel('Contraseña SMTP', { exact: true }).fill('pw-lim-0001');
    await page.getByLabel('Nombre del email', { exact: true }).fill('Lim');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await outcome(page)
      .getByText(/Los ajustes no se han guardado/)
      .waitFor();
    expect(await page.locator('[id="smtp.port-error"]').innerText()).toBe('✗ Como máximo 65535.');
    expect(await outcome(page).innerText()).toContain('«Puerto SMTP»');

    await page.getByLabel('Proveedor de email', { exact: true }).selectOption('gmail');
    await page.getByLabel('Por día (24 horas)', { exact: true }).fill('3000');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.locator('[id="limits.perDay-error"]').waitFor();
    expect(await page.locator('[id="limits.perDay-error"]').innerText()).toMatch(
      /^✗ Como máximo 2000: es el límite de envío que publica Gmail\./,
    );
    // The figures' sources are named by what they are, not twice "support.google.com".
    const sources = await page.locator('.limits-sources a').allInnerTexts();
    expect(new Set(sources).size).toBe(sources.length);
    expect(sources[0]).toMatch(/^Ayuda de Google Workspace: .* \(support\.google\.com\)$/);
  });

  it('a refused draft test email is said at the test panel, marks the field, and names where the test goes (items 8, 9)', async () => {
    const { page, problems } = await openAdmin(browser, m, 'plat', '/', 'lang=es');
    const help = page.locator('#test-help');
    await waitFor(async () => (await help.innerText()).includes('hola@plat.example'), 'the contact address in the help');
    expect(await help.innerText()).toBe('Envía un email corto a hola@plat.example con los ajustes guardados.');

    await page.getByLabel('Responder a', { exact: true }).fill('no-es-una-direccion');
    await page.getByRole('button', { name: 'Enviar email de prueba' }).click();
    const problem = page.locator('#test-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('El email de prueba no se ha enviado: revisa «Responder a».');
    expect(await outcome(page).count()).toBe(0);
    expect(await page.getByLabel('Responder a', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[id="replyTo-error"]').innerText()).toBe('✗ No es una dirección de email válida.');
    expect(problems).toEqual([]);
  });

  it('connecting a mailbox that was refused says so in words (item 12)', async () => {
    const { page } = await openAdmin(browser, m, 'acme', '/', 'lang=es&oauth=error&reason=access_denied');
    await page.getByText('El buzón no se ha conectado: rechazaste el acceso. Inténtalo de nuevo.').waitFor();
  });

  it('Retry: said and focused, the detail stays; a Retry after the status changed elsewhere says so (items 2, 3)', async () => {
    const id = await send('acme', { to: ['blocked@customer.example'], subject: 'Factura R-1' });
    await waitForEmail(m, 'acme', id, (e) => e.status === 'failed');
    const { page, problems } = await openAdmin(browser, m, 'acme', `/emails/${id}`, 'lang=es');
    await page.getByRole('heading', { name: 'Factura R-1', level: 1 }).waitFor();
    // The attempt's advice in Spanish, from its key (the server's words stay as the server said them).
    const attempt = page.locator('ol.attempts li').first();
    expect(await attempt.locator('.hint').innerText()).toBe(
      'Qué hacer: El servidor rechazó la dirección del destinatario: comprueba que está bien escrita.',
    );
    expect(await attempt.locator('.server-words').innerText()).toMatch(/^550 5\.7\.1/);

    await page.getByRole('button', { name: 'Reintentar' }).click();
    const said = page.locator('#action-outcome');
    await said.getByText(/^El email se vuelve a enviar\. Estado ahora: /).waitFor();
    expect(await focusedId(page)).toBe('action-outcome');
    // Followed until it settles: refused again, so failed, with its second attempt.
    await waitFor(async () => (await page.locator('ol.attempts li').count()) === 2, 'the second attempt on the screen', 15000);
    await page.locator('.summary .badge[data-status="failed"]').waitFor();

    // Someone retries it elsewhere while the worker is held: the screen still offers Retry.
    await m.worker!.worker.pause();
    try {
      expect((await m.call('POST', `/v1/tenants/acme/emails/${id}/retry`)).status).toBe(202);
      await page.getByRole('button', { name: 'Reintentar' }).click();
      await said.getByText('El estado de este email ha cambiado mientras tanto: ahora está «En cola».', { exact: false }).waitFor();
      expect(await page.locator('.summary .badge').getAttribute('data-status')).toBe('queued');
      expect(await page.getByRole('button', { name: 'Reintentar' }).count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toMatch(/only a failed email/);
    } finally {
      await m.worker!.worker.resume();
    }
    expect(problems).toEqual([]);
  });

  it('the document view: suppressed and canceled recipients say why in Spanish; the link says what the email is (items 5, 6)', async () => {
    expect((await m.call('POST', '/v1/tenants/acme/suppressions', { address: 'gone@customer.example' })).status).toBe(201);
    const suppressed = await send('acme', {
      to: ['gone@customer.example'],
      subject: 'Presupuesto P-1',
      document: { type: 'quote', id: 'quo_1' },
    });
    await waitForEmail(m, 'acme', suppressed, (e) => e.status === 'suppressed');
    await m.worker!.worker.pause();
    let canceled: string;
    try {
      canceled = await send('acme', {
        to: ['client@customer.example'],
        subject: 'Presupuesto P-1 bis',
        document: { type: 'quote', id: 'quo_1' },
      });
      expect((await m.call('POST', `/v1/tenants/acme/emails/${canceled}/cancel`)).status).toBe(200);
    } finally {
      await m.worker!.worker.resume();
    }
    const { page, problems } = await openAdmin(browser, m, 'acme', '/documents/quote/quo_1', 'lang=es');
    await page.getByRole('heading', { name: 'Emails del presupuesto quo_1', level: 1 }).waitFor();
    const sup = page.locator(`li[data-email-id="${suppressed}"]`);
    expect(await sup.locator('ul.doc-recipients').innerText()).toMatch(
      /· No enviado: en la lista de supresión desde el .* \(Añadida a mano\)\./,
    );
    const can = page.locator(`li[data-email-id="${canceled}"]`);
    expect(await can.locator('ul.doc-recipients').innerText()).toContain('· Cancelado antes de enviarse.');
    expect(await can.getByRole('link').innerText()).toMatch(/^Detalle del email cancelado \(creado el /);
    expect(await page.locator('main').innerText()).not.toMatch(/not sent|canceled before|enviado el/);
    expect(problems).toEqual([]);
  });

  it('history filters: document type is a select of names, the recipient says it is exact, an empty range says so; counts in Spanish (items 10, 12)', async () => {
    const { page, problems } = await openAdmin(browser, m, 'acme', '/history', 'lang=es');
    await page.locator('table.history').waitFor();
    expect(await page.locator('[id="f-recipient-help"]').innerText()).toMatch(/dirección completa y exacta/);
    await page.getByLabel('Tipo de documento', { exact: true }).selectOption({ label: 'Presupuesto' });
    await page.getByRole('button', { name: 'Aplicar' }).click();
    await page.waitForURL(/documentType=quote/);
    await waitFor(async () => (await page.locator('table.history tbody tr').count()) === 2, 'the two quotes');
    expect(await page.getByText('Se muestran 2 emails.').count()).toBe(1);

    await page.getByRole('button', { name: 'Borrar filtros' }).click();
    await page.getByLabel('Desde', { exact: true }).fill('2026-03-10');
    await page.getByLabel('Hasta', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Aplicar' }).click();
    await page.getByText('Las fechas no dejan ningún día: «Desde» es posterior a «Hasta». Cambia una de las dos.').waitFor();
    expect(problems).toEqual([]);
  });

  it('removing an address someone already removed: the row goes and that is said (item 11)', async () => {
    expect((await m.call('POST', '/v1/tenants/acme/suppressions', { address: 'twice@customer.example' })).status).toBe(201);
    const { page } = await openAdmin(browser, m, 'acme', '/suppressions', 'lang=es');
    const row = page.locator('tr[data-address="twice@customer.example"]');
    await row.waitFor();
    expect((await m.call('DELETE', '/v1/tenants/acme/suppressions/twice%40customer.example')).status).toBe(204);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button').click();
    await page.locator('#remove-outcome').getByText('twice@customer.example ya no estaba en la lista', { exact: false }).waitFor();
    expect(await row.count()).toBe(0);
  });

  it('file sizes in Spanish words, no jargon in the timeline, the webhook heading after the h1 is an h2 (item 12)', async () => {
    const id = await send('acme', {
      to: ['client@customer.example'],
      subject: 'Pedido O-1',
      attachments: [{ filename: 'o-1.txt', contentType: 'text/plain', content: Buffer.from('13 bytes long').toString('base64') }],
    });
    await waitForEmail(m, 'acme', id, (e) => e.status === 'accepted');
    const { page } = await openAdmin(browser, m, 'acme', `/emails/${id}`, 'lang=es');
    await page.getByRole('heading', { name: 'Pedido O-1', level: 1 }).waitFor();
    expect(await page.locator('ul.attachments li').allInnerTexts()).toEqual(['o-1.txt (13 bytes)']);
    expect(await page.locator('ol.timeline').innerText()).not.toMatch(/origen|api|worker/);

    const settings = await openAdmin(browser, m, 'acme', '/', 'lang=es');
    await settings.page.getByLabel('Enviar desde tu proveedor', { exact: true }).check();
    expect(await settings.page.locator('#webhook-heading').evaluate((h) => h.tagName)).toBe('H2');
    expect(await settings.page.getByLabel('Clave de la API', { exact: true }).count()).toBe(1);
  });

  it('at 375 px no screen is wider than the phone (item 7)', async () => {
    const failed = await send('acme', { to: ['blocked@customer.example', 'gone@customer.example'], subject: 'Factura N-1' });
    await waitForEmail(m, 'acme', failed, (e) => e.status === 'failed');
    const screens: [string, string][] = [
      ['/suppressions', 'table.suppressions'],
      [`/emails/${failed}`, 'table.recipients'],
      ['/history', 'table.history'],
      ['/documents/quote/quo_1', 'ul.doc-emails'],
      ['/', 'form.settings'],
    ];
    for (const [screen, ready] of screens) {
      const { page } = await openAdmin(browser, m, 'acme', screen, 'lang=es');
      await page.setViewportSize({ width: 375, height: 800 });
      await page.locator(ready).waitFor();
      const width = await pageWidth(page);
      expect({ screen, width, fits: width <= 375 }).toEqual({ screen, width, fits: true });
      await page.close();
    }
  });
});
