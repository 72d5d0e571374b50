import type { Locator } from 'playwright-core';
import { Mailroom, startMailroom, waitForEmail } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(120_000);

const PHONE = { width: 375, height: 800 };

/** Whether a thing is seen whole on the phone's screen, without scrolling sideways. */
const withinPhone = async (l: Locator) => {
  const box = (await l.boundingBox())!;
  return box.x >= 0 && box.x + box.width <= PHONE.width;
};

/** A tenant admin's black-box walk of the screens (Spanish first): each case failed before its fix. */
describe("the tenant admin's audit of the screens", () => {
  let m: Mailroom;
  let browser: Browser;

  beforeAll(async () => {
    [m, browser] = await Promise.all([startMailroom(), launchBrowser()]);
    await m.call('PUT', '/v1/tenants/ferreteria', { name: 'Ferretería Núñez S.L.', plan: 'basic', email: 'hola@ferreteria.example' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
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
        .evaluate((td) => getComputedStyle(td, '::before').content),
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
});
