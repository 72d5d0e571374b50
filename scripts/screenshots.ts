// Takes the README's screenshots of the admin screens (docs/screenshots/*.png): the three apps
// in-process against the local Redis, a local SMTP server, a tenant with a few emails, and headless
// Chromium. Run: pnpm screenshots
import fs from 'node:fs';
import path from 'node:path';
import { startSmtpSink } from '@mailroom/testkit';
import { launchBrowser, openAdmin } from '../e2e/admin-ui/support/browser';
import { SETTLED, startMailroom, waitFor, waitForEmail } from '../e2e/support/mailroom-harness';

const OUT = path.resolve(__dirname, '..', 'docs', 'screenshots');
const USER = 'facturas@panaderia-pepa.example';
const PASS = 'abcd efgh ijkl mnop';

async function main() {
  const sink = await startSmtpSink({
    tls: 'starttls',
    auth: { users: { [USER]: PASS } },
    rejectRecipients: { 'antiguo@cliente.example': '550 5.1.1 <antiguo@cliente.example>: User unknown' },
  });
  const m = await startMailroom();
  const browser = await launchBrowser({ locale: 'es-ES' });
  try {
    await m.call('PUT', '/v1/tenants/pepa', { name: 'Panadería Pepa S.L.', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/pepa/email-settings', {
      mode: 'smtp',
      senderName: 'Panadería Pepa',
      replyTo: 'hola@panaderia-pepa.example',
      cc: [],
      bcc: ['archivo@panaderia-pepa.example'],
      smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false },
    });
    const send = async (to: string, n: string, type = 'invoice') =>
      (
        await m.call('POST', '/v1/tenants/pepa/emails', {
          to: [to],
          subject: `Factura ${n}`,
          html: `<p>Adjuntamos la factura ${n}.</p>`,
          document: { type, id: n, number: n },
        })
      ).body.id as string;
    const ids = [
      await send('compras@cliente.example', 'F-2026-0040'),
      await send('antiguo@cliente.example', 'F-2026-0041'),
      await send('admin@otro.example', 'F-2026-0042'),
    ];
    for (const id of ids) await waitForEmail(m, 'pepa', id, SETTLED);
    const opened = ids[2];
    const msgs = await sink.waitForMessages(3); // F-0041 still goes to the default BCC
    const msg = msgs.find((x) => x.parsed.subject === 'Factura F-2026-0042');
    if (!msg) throw new Error(`no invoice on the sink: ${msgs.map((x) => x.parsed.subject).join(', ')}`);
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(msg.parsed.html as string)![1];
    const started = Date.now();
    await waitFor(async () => Date.now() - started > 2200, 'past the prefetch window', 5000);
    await fetch(pixel, {
      headers: {
        'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      },
    });
    await waitForEmail(m, 'pepa', opened, (e) => e.status === 'opened');
    // The settings screenshot shows the Gmail preset (nothing is sent through it here).
    await m.call('PUT', '/v1/tenants/pepa/email-settings', {
      mode: 'smtp',
      senderName: 'Panadería Pepa',
      replyTo: 'hola@panaderia-pepa.example',
      bcc: ['archivo@panaderia-pepa.example'],
      smtp: { preset: 'gmail', fromAddress: USER, username: USER, password: PASS },
    });
    // The suppression list: a client's mailbox that no longer exists, and one the tenant added by hand.
    await m.call('POST', '/v1/tenants/pepa/suppressions', {
      address: 'antiguo@cliente.example',
      reason: 'manual',
      note: 'El buzón ya no existe',
    });
    await m.call('POST', '/v1/tenants/pepa/suppressions', { address: 'no-enviar@otro.example', reason: 'manual' });
    await m.call('PUT', '/v1/tenants/basico', { name: 'Básico S.L.', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/basico/email-settings', {
      mode: 'platform',
      senderName: 'Básico S.L.',
      replyTo: 'hola@basico.example',
    });

    fs.mkdirSync(OUT, { recursive: true });
    const shoot = async (tenant: string, screen: string, file: string, query = '', width = 1000) => {
      const { page } = await openAdmin(browser, m, tenant, screen, query);
      await page.setViewportSize({ width, height: 700 });
      await page.locator('.loading').waitFor({ state: 'detached' });
      await page.screenshot({ path: path.join(OUT, file), fullPage: true });
      await page.close();
      console.log(`docs/screenshots/${file}`);
    };
    await shoot('pepa', '/', 'settings.png');
    await shoot('pepa', '/history', 'history.png', '', 1100);
    await shoot('pepa', `/emails/${ids[1]}`, 'email.png', 'lang=en');
    await shoot('pepa', '/documents/invoice/F-2026-0042', 'document.png', '', 520);
    await shoot('basico', '/', 'settings-basic-plan.png', 'lang=en');
    await shoot('pepa', '/suppressions', 'suppressions.png', 'lang=en');
  } finally {
    await browser.close();
    await m.stop();
    await sink.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
