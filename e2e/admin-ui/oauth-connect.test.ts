import { startMailboxVendor, MailboxVendor } from '@mailroom/transports/src/smtp/test-support/mailbox-vendor';
import { Mailroom, startMailroom } from '../support/mailroom-harness';
import { publicBaseUrl } from '../support/oauth-connect';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seriousViolations } from './support/axe';
import { adminUrl, Browser, launchBrowser, openAdmin } from './support/browser';

jest.setTimeout(60_000);

const MAILBOX = 'facturas@contoso.example';

/**
 * "Connect with Microsoft" in Chromium: the settings screen starts the connection, the browser goes
 * to the (local) vendor, which consents at once and sends it to the callback, which saves the mailbox
 * and sends the browser back to the screen; the screen says so, and offers a reconnect when the last
 * send asks for one.
 */
describe('connecting a mailbox from the settings screen', () => {
  let m: Mailroom;
  let microsoft: MailboxVendor;
  let browser: Browser;
  /** The platform's page, on another origin, with the screens in an iframe (`?src=`). */
  let platform: http.Server;
  let platformOrigin: string;
  beforeAll(async () => {
    const base = await publicBaseUrl();
    microsoft = await startMailboxVendor('microsoft', MAILBOX, base.redirectUri);
    platform = http.createServer((req, res) => {
      const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>Platform</title><iframe src="${src}" width="1000" height="800"></iframe>`);
    });
    await new Promise<void>((resolve) => platform.listen(0, 'localhost', resolve));
    platformOrigin = `http://localhost:${(platform.address() as AddressInfo).port}`;
    [m, browser] = await Promise.all([
      startMailroom(
        { ...base.env, ...microsoft.env, OAUTH_RETURN_HOSTS: '127.0.0.1', UI_FRAME_ANCESTORS: `self ${platformOrigin}` },
        { worker: false },
      ),
      launchBrowser(),
    ]);
    await m.call('PUT', '/v1/tenants/contoso', { name: 'Contoso', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/contoso/email-settings', {
      mode: 'platform',
      senderName: 'Contoso Billing',
      replyTo: 'ap@contoso.example',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await m?.stop();
    await microsoft?.close();
    await new Promise((resolve) => platform?.close(resolve));
  });

  it('offers the vendor the platform has an app with, connects through Graph, and comes back saying so', async () => {
    const { page, problems } = await openAdmin(browser, m, 'contoso', '/', 'lang=en');
    await page.getByLabel('Send from your SMTP server', { exact: true }).check();
    await page.getByLabel('Mail service', { exact: true }).selectOption('gmail');
    expect(await page.getByRole('button', { name: 'Connect with Google' }).count()).toBe(0); // not offered here
    await page.getByLabel('Mail service', { exact: true }).selectOption('outlook');
    await page.getByRole('heading', { name: 'Sign in instead of a password' }).waitFor();
    await page.getByLabel('Send through', { exact: true }).selectOption('graph');
    await page.getByRole('button', { name: 'Connect with Microsoft' }).click();

    await page.getByText('The mailbox is connected.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    expect(new URL(page.url()).search).toBe('?lang=en');
    await page.getByText(`Connected mailbox: ${MAILBOX}.`).waitFor();
    expect(await page.getByLabel('SMTP password', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Send through', { exact: true }).inputValue()).toBe('graph');
    const settings = (await m.call('GET', '/v1/tenants/contoso/email-settings')).body;
    expect(settings).toMatchObject({
      mode: 'smtp',
      senderName: 'Contoso Billing',
      smtp: { preset: 'outlook', auth: 'oauth2', fromAddress: MAILBOX, oauth: { vendor: 'microsoft', via: 'graph', mailbox: MAILBOX } },
    });
    expect(problems).toEqual([]);
  });

  it('asks for a reconnect when the last send said the grant is gone, in Spanish too', async () => {
    await m.api.deps.store.settings.update('contoso', (s) => ({
      ...s,
      lastFailure: { at: new Date().toISOString(), code: 'oauth_reconnect_required', hint: 'Reconnect the mailbox with Microsoft.' },
    }));
    const { page, problems } = await openAdmin(browser, m, 'contoso');
    await page.getByText('El buzón ya no acepta a Mailroom', { exact: false }).waitFor();
    const again = page.getByRole('button', { name: 'Volver a conectar con Microsoft' });
    await again.click();
    await page.getByText('El buzón está conectado.').waitFor();
    expect((await m.call('GET', '/v1/tenants/contoso/email-settings')).body.warnings).toEqual([]);
    expect(await page.getByText('El buzón ya no acepta a Mailroom', { exact: false }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("inside the platform's iframe, signs in in a new window (vendors refuse frames) and shows the mailbox on return", async () => {
    await m.call('PUT', '/v1/tenants/framed', { name: 'Framed', plan: 'premium' });
    const page = await browser.context.newPage();
    await page.goto(`${platformOrigin}/?src=${encodeURIComponent(await adminUrl(m, 'framed', '/', 'lang=en'))}`);
    const frame = page.frameLocator('iframe');
    await frame.getByLabel('Send from your SMTP server', { exact: true }).check();
    await frame.getByLabel('Mail service', { exact: true }).selectOption('outlook');
    const opened = browser.context.waitForEvent('page');
    await frame.getByRole('button', { name: 'Connect with Microsoft' }).click();
    const popup = await opened;
    await popup.getByText(`The mailbox ${MAILBOX} is connected. You can close this window.`).waitFor();
    await popup.close();
    await frame.getByText('Sign in in the window that opened, then come back here.').waitFor();
    await frame.getByRole('button', { name: 'Show the connected mailbox' }).click();
    await frame.getByText(`Connected mailbox: ${MAILBOX}.`).waitFor();
    expect((await m.call('GET', '/v1/tenants/framed/email-settings')).body.smtp).toMatchObject({ auth: 'oauth2', oauth: { via: 'smtp' } });
    await page.close();
  });
});
