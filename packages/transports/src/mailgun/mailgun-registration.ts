import { DeliveryError, hintOf } from '@mailroom/domain';
import type { WebhookRegistration } from '../webhook';
import { captureMailgunResponse, CapturedResponse } from './capture-mailgun-response';
import { classifyMailgunError } from './classify-mailgun-error';
import { createMailgunClient, MailgunConnection } from './create-mailgun-client';

/** Every Mailgun domain webhook Mailroom listens to (contracts §2.3). */
export const MAILGUN_WEBHOOK_NAMES = [
  'delivered',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'permanent_fail',
  'temporary_fail',
  'accepted',
] as const;

/** Mailgun keeps at most three URLs per webhook name. */
const MAX_URLS_PER_WEBHOOK = 3;

export interface MailgunWebhookRegistrationInput extends MailgunConnection {
  domain: string;
  /** Our receiver for this tenant, e.g. `https://hooks.example.com/webhooks/mailgun/t_123`. */
  url: string;
}

type WebhookList = Record<string, { urls?: string[] } | undefined>;

const pathOf = (url: string): string | undefined => {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
};

/**
 * The URLs a webhook should have: ours added, other services' kept (Mailgun allows three per name and a
 * domain is often shared), and any URL with our exact path on another origin replaced, since that is
 * this tenant's receiver under a previous public address. Undefined when nothing needs to change.
 */
export function mergeWebhookUrls(current: string[], ours: string): string[] | undefined {
  if (current.includes(ours)) return undefined;
  const ourPath = pathOf(ours);
  const others = current.filter((u) => pathOf(u) !== ourPath);
  return [...others, ours];
}

function slotsFull(domain: string, name: string, urls: string[]): DeliveryError {
  return new DeliveryError(`Mailgun's "${name}" webhook of ${domain} already has ${urls.length} URLs`, {
    code: 'webhook_slots_full',
    retryable: false,
    response: urls.join(', '),
    ...hintOf(
      'mailgun.webhookSlotsFull',
      `Mailgun allows ${MAX_URLS_PER_WEBHOOK} URLs per webhook and the "${name}" webhook of ${domain} has no room: remove one in Mailgun (Sending > Webhooks) and save the settings again`,
      { max: MAX_URLS_PER_WEBHOOK, webhook: name, domain },
    ),
  });
}

type Change = { name: string; create: true; url: string } | { name: string; create: false; urls: string[] };

/** What each webhook needs; refuses before changing anything when one has no room left for our URL. */
function planChanges(domain: string, existing: WebhookList, url: string): Change[] {
  const changes: Change[] = [];
  for (const name of MAILGUN_WEBHOOK_NAMES) {
    const current = existing[name]?.urls;
    if (!current) {
      changes.push({ name, create: true, url });
      continue;
    }
    const wanted = mergeWebhookUrls(current, url);
    if (!wanted) continue;
    if (wanted.length > MAX_URLS_PER_WEBHOOK) throw slotsFull(domain, name, current);
    changes.push({ name, create: false, urls: wanted });
  }
  return changes;
}

/**
 * Points every Mailgun webhook of the tenant's sending domain at our receiver, then fetches the
 * account's HTTP webhook signing key (`GET /v5/accounts/http_signing_key`), which verifies the posts.
 * The domain's webhooks are listed first: a missing one is created (`POST /v3/domains/{domain}/webhooks`,
 * which Mailgun answers 400 when the name is already taken), an existing one gets our URL added with
 * `PUT .../webhooks/{name}`. Safe to run again. Failures throw a DeliveryError with a hint (401: wrong key
 * or region; 404: the domain is not in this account/region).
 */
export async function registerMailgunWebhook(input: MailgunWebhookRegistrationInput): Promise<WebhookRegistration> {
  const client = createMailgunClient(input);
  const captured: CapturedResponse = {};
  let signingKey: string | undefined;
  try {
    signingKey = await captureMailgunResponse(captured, async () => {
      const existing = ((await client.webhooks.list(input.domain, {})) ?? {}) as WebhookList;
      for (const change of planChanges(input.domain, existing, input.url)) {
        if (change.create) await client.webhooks.create(input.domain, change.name, change.url, false);
        // PUT replaces the whole list (repeated `url` fields): the other services' URLs go along.
        else await client.webhooks.update(input.domain, change.name, change.urls);
      }
      return (await client.accountManagement.getWebhookSigningKey()).http_signing_key;
    });
  } catch (e) {
    throw classifyMailgunError(e, {
      action: 'register-webhook',
      domain: input.domain,
      timeoutMs: input.timeoutMs,
      retryAfter: captured.headers?.['retry-after'],
      secrets: [input.apiKey],
    });
  }
  if (!signingKey) {
    throw new DeliveryError('Mailgun did not give the webhook signing key', {
      code: 'no_signing_key',
      retryable: true,
      ...hintOf(
        'mailgun.noSigningKey',
        'Mailgun answered without an HTTP webhook signing key: save the settings again, or check Mailgun (Settings > API Security)',
      ),
    });
  }
  return { url: input.url, verificationKey: signingKey };
}
