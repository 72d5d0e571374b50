import { startSmtpSink, RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from '../support/mailroom-harness';
import { seriousViolations } from './support/axe';
import { Browser, launchBrowser, openAdmin, outcome } from './support/browser';
import { focused, tabTo } from './support/keyboard';

jest.setTimeout(90_000);

/** axe-core on every screen, and the settings filled and saved with the keyboard alone. */
describe('accessibility', () => {
  let m: Mailroom;
  let browser: Browser;
  let sink: RunningSmtpSink;
  let emailId: string;

  beforeAll(async () => {
    [m, browser, sink] = await Promise.all([startMailroom(), launchBrowser(), startSmtpSink({ tls: 'starttls' })]);
    await m.call('PUT', '/v1/tenants/basic-co', { name: 'Basic Co', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/basic-co/email-settings', {
      mode: 'platform',
      senderName: 'Basic Co',
      replyTo: 'hola@basic.example',
      bcc: ['archive@basic.example'],
    });
    const r = await m.call('POST', '/v1/tenants/basic-co/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice A-1',
      text: 'Attached.',
      document: { type: 'invoice', id: 'A-1', number: 'A-1' },
    });
    emailId = r.body.id;
    await waitForEmail(m, 'basic-co', emailId, SETTLED);
    await m.call('PUT', '/v1/tenants/keys-co', { name: 'Keys Co', plan: 'advanced' });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await sink?.close();
  });

  it.each([
    ['settings (es)', '/', ''],
    ['settings (en)', '/', 'lang=en'],
    ['history', '/history', 'lang=en'],
    ['email detail', '/emails/EMAIL', 'lang=es'],
    ['document view', '/documents/invoice/A-1', ''],
    ['suppression list (empty)', '/suppressions', 'lang=es'],
  ])('no serious or critical axe violation: %s', async (_name, screen, query) => {
    const { page, problems } = await openAdmin(browser, m, 'basic-co', screen.replace('EMAIL', emailId), query);
    await page.locator('.loading').waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('no serious or critical axe violation with SMTP fields, API field errors and a failed test email shown', async () => {
    const { page } = await openAdmin(browser, m, 'keys-co', '/', 'lang=en');
    await page.getByLabel('Send from your SMTP server', { exact: true }).check();
    await page.getByLabel('Mail service', { exact: true }).selectOption('other');
    await page.getByLabel('Reply to', { exact: true }).fill('not-an-address');
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome(page)
      .getByText(/The settings were not saved/)
      .waitFor();
    await page.getByRole('button', { name: 'Send test email' }).click();
    await page.getByText(/The test email was not sent/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Send from your email provider', { exact: true }).check();
    await page.getByLabel('Provider', { exact: true }).selectOption('mailgun');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the check itself finds what it should: a planted unlabelled field is a violation', async () => {
    const { page } = await openAdmin(browser, m, 'basic-co', '/', 'lang=en');
    await page.evaluate(() =>
      (globalThis as any).document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text" id="planted">'),
    );
    expect((await seriousViolations(page)).map((v) => v.id)).toContain('label');
  });

  it('the session-expired page passes too', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${m.api.url}/ui/?lang=en#token=nope&tenant=keys-co`);
    await page.getByRole('heading', { name: 'Your session has expired' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('keyboard only: Tab through the form in order, pick SMTP with the arrows, open the server settings with Space, save with Enter', async () => {
    const { page } = await openAdmin(browser, m, 'keys-co', '/', 'lang=en');
    await page.getByLabel('Send from the platform', { exact: true }).waitFor();

    const toModes = await tabTo(page, 'Send from the platform');
    expect(toModes.map((s) => s.name)).toEqual([
      'Skip to content',
      'Settings',
      'History',
      'Suppression list',
      'Español',
      'English',
      'Send from the platform',
    ]);
    expect(toModes.every((s) => s.ringVisible)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ name: 'Send from your SMTP server', ringVisible: true });
    expect(await page.getByLabel('Send from your SMTP server', { exact: true }).isChecked()).toBe(true);

    await tabTo(page, 'Mail service');
    await page.keyboard.press('Tab');
    expect((await focused(page)).tag).toBe('summary');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('SMTP server', { exact: true }).isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('127.0.0.1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(sink.port));
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'TLS from the first byte', ringVisible: true });
    await page.keyboard.press('Space'); // off: STARTTLS, as the local server speaks

    const rest: [string, string][] = [
      ['Send from', 'billing@keys.example'],
      ['SMTP user name', 'billing@keys.example'],
      ['SMTP password', 'app-password-0001'],
      ['Sender name', 'Keys Co'],
      ['Reply to', 'replies@keys.example'],
      ['Default CC', 'books@keys.example'],
    ];
    for (const [label, text] of rest) {
      const stops = await tabTo(page, label, 1);
      expect(stops[0].ringVisible).toBe(true);
      await page.keyboard.type(text);
    }
    await tabTo(page, 'Default BCC', 1);
    // The sending limits come next, left at the preset's defaults; then the links to their sources.
    for (const label of ['Per minute', 'Per hour', 'Per day (24 hours)']) expect((await tabTo(page, label, 1))[0].ringVisible).toBe(true);
    const toSave = await tabTo(page, 'Save', 3);
    expect(toSave.map((s) => s.name)).toEqual([
      'Google Workspace Admin Help: Gmail sending limits (support.google.com)',
      'Gmail Help: sending limits (support.google.com)',
      'Save',
    ]);
    await page.keyboard.press('Enter');
    await outcome(page).getByText('Settings saved.').waitFor();
    // Focus went to the result, and Tab goes on from there.
    expect((await focused(page)).name).toBe('✓Settings saved.');

    const stored = (await m.call('GET', '/v1/tenants/keys-co/email-settings')).body;
    expect(stored).toMatchObject({
      mode: 'smtp',
      senderName: 'Keys Co',
      replyTo: 'replies@keys.example',
      cc: [{ email: 'books@keys.example' }],
      smtp: { preset: 'gmail', host: '127.0.0.1', port: sink.port, tls: false, fromAddress: 'billing@keys.example', hasPassword: true },
    });

    // And the test email, with the keyboard too.
    await tabTo(page, 'Send test email');
    await page.keyboard.press('Enter');
    await page.getByText('Sent to billing@keys.example. Check that it arrived.').waitFor();
    expect((await sink.waitForMessages(1))[0].envelope.rcptTo).toEqual(['billing@keys.example']);
  });
});
