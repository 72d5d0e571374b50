import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from '../support/mailroom-harness';
import { Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(90_000);

const USER = 'billing@shop.example';
const PASS = 'correct horse battery';
const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** An invoice sent through the API, then found by a person in the history, its detail and the document view. */
describe('history, email detail and document view', () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: RunningSmtpSink;
  let invoiceId: string;
  let failedId: string;

  const send = async (body: Record<string, unknown>) => {
    const r = await m.call('POST', '/v1/tenants/shop/emails', body);
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  beforeAll(async () => {
    [m, browser, sink] = await Promise.all([
      startMailroom(),
      launchBrowser(),
      startSmtpSink({
        tls: 'starttls',
        auth: { users: { [USER]: PASS } },
        rejectRecipients: { 'gone@customer.example': '550 5.1.1 <gone@customer.example>: User unknown' },
      }),
    ]);
    await m.call('PUT', '/v1/tenants/shop', { name: 'Shop', plan: 'premium' });
    const saved = await m.call('PUT', '/v1/tenants/shop/email-settings', {
      mode: 'smtp',
      senderName: 'Shop Billing',
      replyTo: 'accounts@shop.example',
      smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false },
    });
    expect(saved.status).toBe(200);

    // Older mail first, so the invoice is the newest.
    for (let i = 1; i <= 26; i++)
      await send({
        to: ['someone@customer.example'],
        subject: `Quote Q-${i}`,
        text: 'Your quote.',
        document: { type: 'quote', id: `Q-${i}` },
      });
    failedId = await send({
      to: ['gone@customer.example'],
      subject: 'Invoice F-2026-0041',
      text: 'Invoice attached.',
      document: { type: 'invoice', id: 'inv_41', number: 'F-2026-0041' },
    });
    invoiceId = await send({
      to: [{ email: 'client@customer.example', name: 'Client SA' }],
      cc: ['cfo@customer.example'],
      subject: 'Invoice F-2026-0042',
      text: 'Please find your invoice attached.',
      html: '<p>Please find your invoice attached.</p>',
      attachments: [{ filename: 'F-2026-0042.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
    });
    const accepted = await waitForEmail(m, 'shop', invoiceId, SETTLED);
    await waitForEmail(m, 'shop', failedId, (e) => e.status === 'failed');

    // The client opens it in a mail app, past the window in which an open is a scanner's prefetch.
    const msg = (await sink.waitForMessages(27, 15000)) // 26 quotes and the invoice; the refused one never got past RCPT
      .find((x) => x.parsed.subject === 'Invoice F-2026-0042')!;
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(msg.parsed.html as string)![1];
    const acceptedAt = Date.parse(accepted.events.find((e: any) => e.type === 'accepted').at);
    await waitFor(async () => Date.now() > acceptedAt + 2100, 'the prefetch window to pass', 5000);
    await fetch(pixel, { headers: { 'user-agent': BROWSER_UA } });
    await waitForEmail(m, 'shop', invoiceId, (e) => e.status === 'opened');
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await sink?.close();
  });

  it('lists the emails newest first, with honest statuses, and pages by cursor', async () => {
    const { page, problems } = await openAdmin(browser, m, 'shop', '/history', 'lang=en');
    const rows = page.locator('table.history tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    const first = rows.nth(0);
    expect(await first.getAttribute('data-email-id')).toBe(invoiceId);
    expect(await first.getByRole('link', { name: 'Invoice F-2026-0042', exact: true }).isVisible()).toBe(true);
    expect(await first.locator('td.status').innerText()).toMatch(/Opened \(by a person\)/);
    expect(await first.locator('ul.recipient-list li').allInnerTexts()).toEqual(['client@customer.example', 'cfo@customer.example']);
    expect(await rows.nth(1).locator('td.status').innerText()).toMatch(/Failed/);

    await page.getByRole('button', { name: 'Show more' }).click();
    await page.getByText('3 more emails shown.').waitFor({ state: 'attached' });
    expect(await rows.count()).toBe(28);
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    // Focus moved to the first email that was added, for keyboard and screen-reader users.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Quote Q-3');
    expect(problems).toEqual([]);
  });

  it('filters by status, recipient and document, and keeps the filters in the address', async () => {
    const { page } = await openAdmin(browser, m, 'shop', '/history', 'lang=en');
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=failed/);
    const rows = page.locator('table.history tbody tr');
    await waitFor(async () => (await rows.count()) === 1, 'one failed email');
    expect(await rows.first().getAttribute('data-email-id')).toBe(failedId);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Recipient', { exact: true }).fill('CFO@customer.example');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitFor(
      async () => (await rows.count()) === 1 && (await rows.first().getAttribute('data-email-id')) === invoiceId,
      'the invoice by its CC',
    );
    await page.reload();
    await waitFor(async () => (await rows.count()) === 1, 'the same filter after a reload');
    expect(await page.getByLabel('Recipient', { exact: true }).inputValue()).toBe('CFO@customer.example');

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Document id', { exact: true }).fill('nothing-like-this');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No email matches.').waitFor();
  });

  it("shows one email whole: recipients with status, attempts with the server's reply, the timeline", async () => {
    const { page, problems } = await openAdmin(browser, m, 'shop', '/history', 'lang=en');
    await page.getByRole('link', { name: 'Invoice F-2026-0042', exact: true }).click();
    await page.getByRole('heading', { name: 'Invoice F-2026-0042', level: 1 }).waitFor();
    expect(page.url()).toContain(`/ui/emails/${invoiceId}`);
    const recipients = page.locator('table.recipients tbody tr');
    expect(await recipients.count()).toBe(2);
    expect(await recipients.nth(0).innerText()).toMatch(/Client SA <client@customer\.example>\s+To\s+.*Sent \(accepted by the server\)/);
    // One attempt: the refused email beside it no longer closes the pool under it (decision 0017).
    const attempts = page.locator('ol.attempts li');
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().innerText()).toMatch(/^✓ Accepted/);
    expect(await page.locator('ul.attachments li').allInnerTexts()).toEqual([expect.stringMatching(/^F-2026-0042\.pdf \(\d(\.\d)? kB\)$/)]);
    const timeline = await page.locator('ol.timeline').innerText();
    for (const step of ['Queued', 'Accepted by the server', 'Opened']) expect(timeline).toContain(step);
    expect(await page.getByText('Opens by a person: 1. Automatic opens (mail scanners, prefetch), not counted: 0.').isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Back to the history' }).click();
    await page.getByRole('link', { name: 'Invoice F-2026-0041', exact: true }).click();
    await page.getByRole('heading', { name: 'Invoice F-2026-0041', level: 1 }).waitFor();
    expect(await page.locator('table.recipients tbody tr').first().innerText()).toMatch(/Failed.*User unknown/s);
    const attempt = page.locator('ol.attempts li').first();
    expect(await attempt.innerText()).toMatch(/Failed/);
    expect(await attempt.locator('.server-words').innerText()).toMatch(/^550 5\.1\.1/);
    expect(await attempt.locator('.hint').innerText()).toMatch(/refused/i);
    expect(await page.locator('.content-purged').count()).toBe(0);

    // Its retention period passes (the sweep's purge, run now): the history stays and says so.
    const longAfter = new Date(Date.now() + 365 * 86_400_000).toISOString();
    expect(
      await m.api.deps.store.emails.purgeContent([{ tenantId: 'shop', id: failedId }], longAfter, new Date().toISOString()),
    ).toHaveLength(1);
    await page.reload();
    await page.locator('.content-purged').waitFor();
    expect(await page.locator('.content-purged').innerText()).toMatch(
      /^The text and the attachments were deleted on .+; this history stays\.$/,
    );
    expect(await page.locator('table.recipients tbody tr').first().innerText()).toMatch(/Failed.*User unknown/s);
    expect(problems).toEqual([]);
  });

  it("the document view lists that document's emails and their status, compact and in Spanish", async () => {
    const { page, problems } = await openAdmin(browser, m, 'shop', '/documents/invoice/inv_42');
    await page.getByRole('heading', { name: 'Emails de la factura F-2026-0042', level: 1 }).waitFor();
    expect(await page.locator('nav').count()).toBe(0);
    const items = page.locator('ul.doc-emails > li');
    expect(await items.count()).toBe(1);
    expect(await items.first().getAttribute('data-email-id')).toBe(invoiceId);
    expect(await items.first().locator('.doc-email-head .badge').innerText()).toMatch(/Abierto \(por una persona\)/);
    expect(await items.first().locator('ul.doc-recipients').innerText()).toMatch(/client@customer\.example \(Para\): .*Enviado/);
    await items
      .first()
      .getByRole('link', { name: /Detalle del email/ })
      .click();
    await page.getByRole('heading', { name: 'Invoice F-2026-0042', level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it('the timeline names the recipients an attempt was for when it was for some only, in English and Spanish', async () => {
    // Two of three recipients refused for now at RCPT TO, on the first send and on their retry; taken on the next.
    const busy = await startSmtpSink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    const refusals: Record<string, number> = { 'cfo@customer.example': 2, 'ops@customer.example': 2 };
    busy.behaviour.rejectRecipients = Object.defineProperties(
      {},
      Object.fromEntries(
        Object.keys(refusals).map((address) => [
          address,
          { enumerable: true, get: () => (refusals[address]-- > 0 ? `451 4.2.1 <${address}>: Mailbox busy, try again later` : undefined) },
        ]),
      ),
    );
    try {
      await m.call('PUT', '/v1/tenants/busyshop', { name: 'Busy Shop', plan: 'premium' });
      const saved = await m.call('PUT', '/v1/tenants/busyshop/email-settings', {
        mode: 'smtp',
        senderName: 'Busy Shop Billing',
        smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: busy.port, tls: false },
      });
      expect(saved.status).toBe(200);
      const r = await m.call('POST', '/v1/tenants/busyshop/emails', {
        to: ['client@customer.example'],
        cc: ['cfo@customer.example', 'ops@customer.example'],
        subject: 'Invoice F-2026-0050',
        text: 'Invoice attached.',
      });
      expect(r.status).toBe(202);
      const email = await waitForEmail(m, 'busyshop', r.body.id, SETTLED);
      expect(email.attempts.map((a: any) => a.ok)).toEqual([true, false, true]);
      const attempt = email.events.find((e: any) => e.key === 'worker:attempt:2');
      expect(attempt).toMatchObject({ type: 'deferred', recipients: ['cfo@customer.example', 'ops@customer.example'] });

      const { page, problems } = await openAdmin(browser, m, 'busyshop', `/emails/${r.body.id}`, 'lang=en');
      await page.getByRole('heading', { name: 'Invoice F-2026-0050', level: 1 }).waitFor();
      const entries = page.locator('ol.timeline li');
      expect(await entries.allInnerTexts()).toContainEqual(
        expect.stringMatching(/Delayed · attempt for cfo@customer\.example and ops@customer\.example only · 451 4\.2\.1/),
      );
      await page.goto(page.url().replace('lang=en', 'lang=es'));
      await page.getByRole('heading', { name: 'Invoice F-2026-0050', level: 1 }).waitFor();
      await entries.first().waitFor();
      expect(await entries.allInnerTexts()).toContainEqual(
        expect.stringMatching(/Retrasado · intento solo para cfo@customer\.example y ops@customer\.example · 451 4\.2\.1/),
      );
      expect(problems).toEqual([]);
    } finally {
      await busy.close();
    }
  });

  it('offers Retry on a failed email whose content is kept; retrying sends it again (refused again here: a second attempt)', async () => {
    const { page, problems } = await openAdmin(browser, m, 'shop', `/emails/${invoiceId}`, 'lang=en');
    await page.getByRole('heading', { name: 'Invoice F-2026-0042', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    // The failed invoice's content was deleted by retention (above): it cannot be sent again, so no Retry.
    await page.goto(page.url().replace(invoiceId, failedId));
    await page.getByRole('heading', { name: 'Invoice F-2026-0041', level: 1 }).waitFor();
    await page.locator('.content-purged').waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);

    // Refused for a policy reason (not the mailbox, so the address is not suppressed): a retry is refused again.
    sink.behaviour.rejectRecipients['blocked@customer.example'] =
      '550 5.7.1 <blocked@customer.example>: Recipient address rejected: Access denied';
    const againId = await send({ to: ['blocked@customer.example'], subject: 'Invoice F-2026-0043', text: 'Invoice attached.' });
    await waitForEmail(m, 'shop', againId, (e) => e.status === 'failed');
    await page.goto(page.url().replace(failedId, againId));
    await page.getByRole('heading', { name: 'Invoice F-2026-0043', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Retry' }).click();
    const again = await waitForEmail(m, 'shop', againId, (e) => e.status === 'failed' && e.attempts.length === 2);
    expect(again.events.map((e: any) => e.key)).toContain('retry:1');
    await page.reload();
    await waitFor(async () => (await page.locator('ol.attempts li').count()) === 2, 'the second attempt on the screen');
    expect(problems).toEqual([]);
  });
});
