import type { Client } from '@sendgrid/client';
import { DeliveryError, hintOf } from '@mailroom/domain';
import type { WebhookRegistration } from '../webhook';
import { classifySendgridError } from './classify-sendgrid-error';
import { createSendgridClient, SendgridConnection } from './create-sendgrid-client';

export interface RegisterSendgridWebhookOptions extends SendgridConnection {
  /** Our receiver for this tenant: `<PUBLIC_BASE_URL>/webhooks/sendgrid/<tenantId>`. */
  url: string;
  /** The id of the webhook registered for this tenant before, if any: updated in place, even if our URL changed. */
  webhookId?: string;
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

const SETTINGS = '/v3/user/webhooks/event/settings';

interface ListedWebhook {
  id: string;
  url: string;
}

/**
 * Registers OUR Event Webhook on the tenant's SendGrid account, beside whatever else the account has
 * (SendGrid's multiple Event Webhooks): list them (`GET .../settings/all`), take ours by the id we
 * kept or by our URL, else create one (`POST .../settings`); then point it at our URL with our event
 * types (`PATCH .../settings/{id}`) and turn signing on for it alone (`PATCH .../settings/signed/{id}`),
 * whose answer is that webhook's own public key. Never the legacy id-less endpoints, which act on the
 * account's oldest webhook (likely the tenant's own), and no other webhook is touched. Two tenants on
 * one account each get their own webhook and key. Failures throw a DeliveryError with a hint.
 */
export async function registerSendgridWebhook(options: RegisterSendgridWebhookOptions): Promise<WebhookRegistration> {
  const client = createSendgridClient(options);
  const context = { action: 'register-webhook' as const, timeoutMs: options.timeoutMs };
  let id: string;
  let publicKey: unknown;
  try {
    const { ours, count, maxAllowed } = await listWebhooks(client, options);
    const body = { enabled: true, url: options.url, ...EVENTS };
    if (!ours && maxAllowed !== undefined && count >= maxAllowed) throw limitReached(maxAllowed);
    id = ours ? ours.id : await create(client, body);
    if (ours) await client.request({ method: 'PATCH', url: `${SETTINGS}/${encodeURIComponent(id)}`, body });
    const [, signed] = await client.request({
      method: 'PATCH',
      url: `${SETTINGS}/signed/${encodeURIComponent(id)}`,
      body: { enabled: true },
    });
    publicKey = (signed as { public_key?: unknown } | undefined)?.public_key;
  } catch (error) {
    throw classifySendgridError(error, context);
  }
  if (typeof publicKey !== 'string' || publicKey.length === 0) {
    throw new DeliveryError('SendGrid turned signing on but sent no verification key', {
      code: 'no_public_key',
      retryable: true,
      ...hintOf(
        'sendgrid.noPublicKey',
        'Copy the verification key from SendGrid (Settings > Mail Settings > Event Webhooks > our webhook > Signature Verification) and paste it in the settings.',
      ),
    });
  }
  return { url: options.url, verificationKey: publicKey, webhookId: id };
}

/** Ours: the webhook whose id we kept, else the one posting to our URL (created by hand, or by us before). */
async function listWebhooks(
  client: Client,
  options: RegisterSendgridWebhookOptions,
): Promise<{ ours?: ListedWebhook; count: number; maxAllowed?: number }> {
  const [, answer] = await client.request({ method: 'GET', url: `${SETTINGS}/all` });
  const { webhooks, max_allowed } = (answer ?? {}) as { webhooks?: unknown; max_allowed?: unknown };
  // An account without webhooks lists one empty object: keep only entries with an id and a URL.
  const hooks = (Array.isArray(webhooks) ? webhooks : []).filter(
    (w): w is ListedWebhook => typeof (w as ListedWebhook)?.id === 'string' && typeof (w as ListedWebhook)?.url === 'string',
  );
  const ours = (options.webhookId ? hooks.find((w) => w.id === options.webhookId) : undefined) ?? hooks.find((w) => w.url === options.url);
  return { ours, count: hooks.length, maxAllowed: typeof max_allowed === 'number' ? max_allowed : undefined };
}

async function create(client: Client, body: object): Promise<string> {
  try {
    const [, created] = await client.request({ method: 'POST', url: SETTINGS, body: { ...body, friendly_name: 'Mailroom' } });
    const id = (created as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id.length === 0) throw new Error('SendGrid created the Event Webhook but answered no id');
    return id;
  } catch (error) {
    // Created meanwhile (a concurrent save): SendGrid's 400 names the webhook that already posts to our URL.
    const errors = (error as { response?: { body?: { errors?: { id?: unknown }[] } } }).response?.body?.errors;
    const existing = Array.isArray(errors) ? errors.find((e) => typeof e?.id === 'string')?.id : undefined;
    if ((error as { code?: unknown }).code === 400 && typeof existing === 'string') return existing;
    throw error;
  }
}

function limitReached(maxAllowed: number): DeliveryError {
  return new DeliveryError(`SendGrid did not register the Event Webhook: the account already has ${maxAllowed}, its plan's maximum`, {
    code: 'webhook_limit',
    retryable: false,
    ...hintOf(
      'sendgrid.webhookLimit',
      "The SendGrid account already has as many Event Webhooks as its plan allows: delete one it no longer uses (Settings > Mail Settings > Event Webhooks) and save again, or paste the verification key of an existing webhook that posts to Mailroom's URL.",
      { max: maxAllowed },
    ),
  });
}
