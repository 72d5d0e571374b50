import { randomBytes } from 'node:crypto';
import { CallbackReceiver, SendgridEmulator, SendgridEmulatorOptions, startSendgridEmulator } from '@mailroom/testkit';
import { startCallbackReceiver } from './callback-bodies';
import { INVOICE_PDF, Mailroom, startMailroom } from './mailroom-harness';

/** What the SendGrid files run against: the emulated SendGrid API, Mailroom pointed at it, and the platform hearing callbacks. */
export interface OnSendgrid {
  m: Mailroom;
  sg: SendgridEmulator;
  platform: CallbackReceiver;
  stop(): Promise<void>;
}

/** The emulator with these keys, a callback receiver with its own secret, and Mailroom sending to both. */
export async function startOnSendgrid(emulator: SendgridEmulatorOptions): Promise<OnSendgrid> {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const sg = await startSendgridEmulator(emulator);
  const platform = await startCallbackReceiver([secret]);
  const m = await startMailroom({ SENDGRID_API_URL: sg.url, CALLBACK_URL: platform.url, CALLBACK_SECRETS: secret });
  return {
    m,
    sg,
    platform,
    async stop() {
      await m.stop();
      await sg.close();
      await platform.close();
    },
  };
}

/**
 * A tenant's settings on its own SendGrid account (the PUT body): `key` left out keeps the stored one,
 * `bcc` adds the tenant's archive copy, `provider` adds fields of the provider part.
 */
export function sendgridSettings(
  tenant: string,
  key: string | undefined,
  options: { bcc?: boolean; provider?: Record<string, unknown> } = {},
) {
  return {
    mode: 'provider',
    senderName: `Tenant ${tenant}`,
    replyTo: `billing@${tenant}.example`,
    ...(options.bcc ? { bcc: [`archive@${tenant}.example`] } : {}),
    provider: { name: 'sendgrid', fromAddress: `billing@${tenant}.example`, ...(key ? { privateApiKey: key } : {}), ...options.provider },
  };
}

/** An invoice with its PDF, numbered `n` (also its document id); `html` adds an HTML body. */
export function sendgridInvoice(n: string, options: { html?: boolean } = {}) {
  return {
    to: [{ email: 'client@customer.example', name: 'Client' }],
    subject: `Invoice ${n}`,
    text: 'attached',
    ...(options.html ? { html: '<p>attached</p>' } : {}),
    attachments: [{ filename: `${n}.pdf`, contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
    document: { type: 'invoice', id: n },
  };
}
