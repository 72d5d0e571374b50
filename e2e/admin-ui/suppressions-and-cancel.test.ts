import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from '../support/mailroom-harness';
import { seriousViolations } from './support/axe';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(90_000);

const USER = 'billing@stop.example';
const PASS = 'pw-stop-0001';

/** The admin's side of issue 10 in Chromium: cancel a deferred email, the suppression list screen, honest statuses. */
describe('cancel and the suppression list in the admin screens', () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: RunningSmtpSink;

  const send = async (subject: string, to: string[]) => {
    const r = await m.call('POST', '/v1/tenants/stop/emails', {
      to,
      subject,
      text: 'Invoice attached.',
      document: { type: 'invoice', id: subject },
    });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  beforeAll(async () => {
    [m, browser, sink] = await Promise.all([
      // Slow retries: a deferred email stays deferred while the person looks at it.
      startMailroom({ RETRY_BASE_MS: '20000' }),
      launchBrowser(),
      startSmtpSink({
        tls: 'starttls',
        auth: { users: { [USER]: PASS } },
        onDataReply: (msg) => (msg.parsed.subject === 'Invoice D-1' ? '421 4.3.2 Service not available, try again later' : undefined),
      }),
    ]);
    await m.call('PUT', '/v1/tenants/stop', { name: 'Stop Co', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/stop/email-settings', {
      mode: 'smtp',
      senderName: 'Stop Co',
      smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false },
    });
    for (const [address, note] of [
      ['old@customer.example', 'left the company'],
      ['client-a@customer.example', 'mailbox closed'],
      ['client-b@customer.example', undefined],
    ] as const)
      expect((await m.call('POST', '/v1/tenants/stop/suppressions', { address, ...(note ? { note } : {}) })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await sink?.close();
  });

  it('cancels a deferred email from its detail: it ends Canceled and is never sent', async () => {
    const id = await send('Invoice D-1', ['client@customer.example']);
    await waitForEmail(m, 'stop', id, (e) => e.status === 'deferred');
    const { page, problems } = await openAdmin(browser, m, 'stop', `/emails/${id}`, 'lang=en');
    await page.getByRole('heading', { name: 'Invoice D-1', level: 1 }).waitFor();
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.getByRole('button', { name: 'Cancel sending' }).click();
    await page.locator('.summary .badge[data-status="canceled"]').waitFor();
    expect(dialogs).toEqual(['Cancel this email? It will not be sent, now or later.']);
    expect(await page.getByRole('button', { name: 'Cancel sending' }).count()).toBe(0);
    expect(await page.locator('table.recipients tbody tr').first().innerText()).toMatch(/Canceled\s+Canceled before it was sent\./);
    expect((await m.call('GET', `/v1/tenants/stop/emails/${id}`)).body.status).toBe('canceled');
    expect(await m.api.deps.queue.getJob(id)).toBeUndefined();
    expect(sink.messages.filter((x) => x.parsed.subject === 'Invoice D-1')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('offers no Cancel on an email already accepted; dismissing the question cancels nothing', async () => {
    const sent = await send('Invoice A-1', ['client@customer.example']);
    await waitForEmail(m, 'stop', sent, SETTLED);
    const { page } = await openAdmin(browser, m, 'stop', `/emails/${sent}`, 'lang=en');
    await page.getByRole('heading', { name: 'Invoice A-1', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel sending' }).count()).toBe(0);

    await m.worker!.worker.pause();
    try {
      const queued = await send('Invoice Q-1', ['client@customer.example']);
      await page.goto(page.url().replace(sent, queued));
      await page.getByRole('heading', { name: 'Invoice Q-1', level: 1 }).waitFor();
      page.once('dialog', (d) => void d.dismiss());
      await page.getByRole('button', { name: 'Cancel sending' }).click();
      await new Promise((r) => setTimeout(r, 300));
      expect((await m.call('GET', `/v1/tenants/stop/emails/${queued}`)).body.status).toBe('queued');
    } finally {
      await m.worker!.worker.resume();
    }
  });

  it('shows a suppressed recipient honestly, in Spanish, with a way to the list', async () => {
    const id = await send('Factura S-1', ['old@customer.example', 'client@customer.example']);
    await waitForEmail(m, 'stop', id, (e) => e.status === 'accepted');
    const { page, problems } = await openAdmin(browser, m, 'stop', `/emails/${id}`, 'lang=es');
    await page.getByRole('heading', { name: 'Factura S-1', level: 1 }).waitFor();
    const row = page.locator('table.recipients tbody tr').first();
    expect(await row.innerText()).toMatch(/No enviado: dirección en la lista de supresión/);
    expect(await row.innerText()).toMatch(/en la lista de supresión desde el .* \(Añadida a mano\)/);
    await row.getByRole('link', { name: 'Ver la lista de supresión' }).click();
    await page.getByRole('heading', { name: 'Lista de supresión', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/ui\/suppressions\?lang=es&address=old%40customer\.example/);
    await waitFor(async () => (await page.locator('table.suppressions tbody tr').count()) === 1, 'the one address');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the suppression list: searched by the start of the address and the reason, an address removed and then sent to again', async () => {
    const { page, problems } = await openAdmin(browser, m, 'stop', '/suppressions', 'lang=en');
    const rows = page.locator('table.suppressions tbody tr');
    await waitFor(async () => (await rows.count()) === 3, 'three addresses');
    expect(await page.getByRole('link', { name: 'Suppression list' }).getAttribute('aria-current')).toBe('page');
    expect(await rows.first().innerText()).toMatch(/Added by hand/);
    expect(await page.locator('tr[data-address="old@customer.example"]').innerText()).toMatch(
      /left the company.*Until removed|Until removed.*left the company/s,
    );
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Address', { exact: true }).fill('client-');
    await page.getByLabel('Reason', { exact: true }).selectOption('manual');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/address=client-/);
    await waitFor(async () => (await rows.count()) === 2, 'the two client- addresses');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove client-a@customer.example from the list' }).click();
    const notice = page.locator('#remove-outcome');
    await notice
      .getByText(
        'client-a@customer.example was removed from the list: the next emails to it will be sent. Those already held back are not: send them again from their document.',
      )
      .waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('remove-outcome');
    expect(await rows.count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    const left = (await m.call('GET', '/v1/tenants/stop/suppressions')).body.items.map((s: { address: string }) => s.address);
    expect(left.sort()).toEqual(['client-b@customer.example', 'old@customer.example']);

    const id = await send('Invoice R-1', ['client-a@customer.example']);
    await waitForEmail(m, 'stop', id, (e) => e.status === 'accepted');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Address', { exact: true }).fill('nobody-');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No address on the list matches.').waitFor();
    expect(problems).toEqual([]);
  });
});
