import { DeliveryError } from '@mailroom/domain';
import type { WebhookRegistration } from '../webhook';
import { classifySendgridError } from './classify-sendgrid-error';
import { createSendgridClient, SendgridConnection } from './create-sendgrid-client';

export interface RegisterSendgridWebhookOptions extends SendgridConnection {
  /** Our receiver for this tenant: `<PUBLIC_BASE_URL>/webhooks/sendgrid/<tenantId>`. */
  url: string;
}

/** The event types Mailroom asks for: everything that moves a recipient along the status ladder. */
const EVENTS = {
  delivered: true,
  processed: true,
  deferred: true,
  bounce: true,
  dropped: true,
  open: true,
  click: true,
  spam_report: true,
  unsubscribe: true,
  group_unsubscribe: true,
} as const;

/**
 * Points the tenant's SendGrid Event Webhook at our receiver and turns signing on, through the tenant's
 * own key: `PATCH /v3/user/webhooks/event/settings` (URL and events), then
 * `PATCH /v3/user/webhooks/event/settings/signed` `{enabled:true}`, whose answer carries the public key
 * that verifies every post. Failures throw a DeliveryError with a hint (a key without the Event Webhook
 * permission is common: the admin can paste the verification key by hand instead).
 */
export async function registerSendgridWebhook(options: RegisterSendgridWebhookOptions): Promise<WebhookRegistration> {
  const client = createSendgridClient(options);
  const context = { action: 'register-webhook' as const, timeoutMs: options.timeoutMs };
  let publicKey: unknown;
  try {
    await client.request({
      method: 'PATCH',
      url: '/v3/user/webhooks/event/settings',
      body: { enabled: true, url: options.url, ...EVENTS },
    });
    const [, signed] = await client.request({ method: 'PATCH', url: '/v3/user/webhooks/event/settings/signed', body: { enabled: true } });
    publicKey = (signed as { public_key?: unknown } | undefined)?.public_key;
  } catch (error) {
    throw classifySendgridError(error, context);
  }
  if (typeof publicKey !== 'string' || publicKey.length === 0) {
    throw new DeliveryError('SendGrid turned signing on but sent no verification key', {
      code: 'no_public_key',
      retryable: true,
      hint: 'Copy the verification key from SendGrid (Settings > Mail Settings > Event Webhook > Signed Event Webhook) and paste it in the settings.',
    });
  }
  return { url: options.url, verificationKey: publicKey };
}
