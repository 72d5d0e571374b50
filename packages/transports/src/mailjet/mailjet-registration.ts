import { DeliveryError, HintFields, hintOf } from '@mailroom/domain';
import type { Client } from 'node-mailjet';
import type { WebhookRegistration } from '../webhook';
import { classifyMailjetError, HINTS } from './classify-mailjet-error';
import { connectMailjet, MailjetConnection } from './mailjet-client';

/** Every Event API type Mailroom listens to (one callback URL each, contracts §3.3). */
export const MAILJET_WEBHOOK_EVENT_TYPES = ['sent', 'open', 'click', 'bounce', 'blocked', 'spam', 'unsub'] as const;
type MailjetWebhookEventType = (typeof MAILJET_WEBHOOK_EVENT_TYPES)[number];

export interface MailjetWebhookRegistrationInput extends MailjetConnection {
  /** Our receiver for this tenant, e.g. `https://hooks.example.com/webhooks/mailjet/t_123` (no credentials). */
  url: string;
  /** The Basic credentials Mailroom generated for this tenant: embedded in the URL Mailjet is given. */
  basicUser: string;
  basicPassword: string;
}

interface EventCallback {
  ID: number | string;
  EventType: string;
  IsBackup?: boolean;
  Status?: string;
  Url?: string;
  Version?: number;
}

/** URL-unreserved characters only, so the credentials embed in the URL without any encoding ambiguity. */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

function configError(problem: string, hint: HintFields): DeliveryError {
  return new DeliveryError(`Mailjet webhook registration refused: ${problem}`, { code: 'ECONFIG', retryable: false, ...hint });
}

function callbackUrls(input: MailjetWebhookRegistrationInput): { plain: string; withCredentials: string } {
  let u: URL;
  try {
    u = new URL(input.url);
  } catch {
    throw configError(
      `"${input.url}" is not a URL`,
      hintOf('webhook.publicUrlInvalid', 'Set PUBLIC_BASE_URL to the public https address of the webhooks app.'),
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw configError(
      `${u.protocol} is not http(s)`,
      hintOf('webhook.publicUrlNotHttp', 'Set PUBLIC_BASE_URL to an https address.', { protocol: u.protocol }),
    );
  if (!URL_SAFE.test(input.basicUser) || !URL_SAFE.test(input.basicPassword)) {
    throw configError(
      'the webhook credentials hold characters that need URL encoding',
      hintOf('mailjet.webhookCredentials', 'Generate the webhook user and password from letters, digits, "-", "_", "." and "~".'),
    );
  }
  u.username = '';
  u.password = '';
  const plain = u.toString();
  u.username = input.basicUser;
  u.password = input.basicPassword;
  return { plain, withCredentials: u.toString() };
}

/** The step that failed, for people: reading the account's callbacks first, then one per event type. */
type RegistrationStep = 'reading' | MailjetWebhookEventType;

function stepWords(step: RegistrationStep): string {
  return step === 'reading'
    ? "Mailjet did not let Mailroom read the account's event callbacks"
    : `Mailjet did not register the callback for its "${step}" events`;
}

/** Mailjet's answer can echo the URL it was given: the password never leaves in an error. */
function scrubbed(e: DeliveryError, secret: string, step: RegistrationStep): DeliveryError {
  const clean = (s: string | undefined) => s?.split(secret).join('***');
  return new DeliveryError(clean(`${stepWords(step)}: ${e.message}`) ?? '', {
    code: e.code,
    retryable: e.retryable,
    responseCode: e.responseCode,
    response: clean(e.response),
    retryAfterMs: e.retryAfterMs,
    ...(e.hintKey === HINTS.auth.hintKey
      ? HINTS.auth
      : e.retryable
        ? hintOf(
            'mailjet.webhookNotNow',
            'Mailjet could not be reached or is busy: save the settings again to retry the webhook registration',
          )
        : hintOf('mailjet.webhookRefused', "Mailjet refused the webhook registration: see Mailjet's words in the response")),
  });
}

async function existingCallbacks(client: Client): Promise<EventCallback[]> {
  const answer = await client.get('eventcallbackurl', { version: 'v3' }).request(undefined, { Limit: 1000 });
  const data = (answer.body as { Data?: unknown })?.Data;
  return Array.isArray(data) ? (data as EventCallback[]) : [];
}

async function upsertCallback(client: Client, existing: EventCallback[], type: MailjetWebhookEventType, url: string): Promise<void> {
  const current = existing.find((c) => c.EventType === type && c.IsBackup !== true);
  if (!current) {
    await client.post('eventcallbackurl', { version: 'v3' }).request({ EventType: type, Url: url, Version: 2, IsBackup: false });
    return;
  }
  if (current.Url === url && current.Version === 2 && current.Status === 'alive') return;
  // Status "alive" also revives a callback Mailjet suspended after 24 h of failed posts.
  await client
    .put('eventcallbackurl', { version: 'v3' })
    .id(String(current.ID))
    .request({ Url: url, Version: 2, IsBackup: false, Status: 'alive' });
}

/**
 * Points every Mailjet event type of the tenant's account at our receiver, with grouped posts
 * (`Version: 2`) and the tenant's Basic credentials embedded in the URL (Mailjet's only means of
 * authenticating its posts). Creates missing callbacks, updates ours or a previous URL in place; safe
 * to run again. Answers the URL without credentials. Failures throw a DeliveryError with a hint.
 */
export async function registerMailjetWebhook(input: MailjetWebhookRegistrationInput): Promise<WebhookRegistration> {
  const { plain, withCredentials } = callbackUrls(input);
  const client = connectMailjet(input, 'v3');
  let step: RegistrationStep = 'reading';
  try {
    const existing = await existingCallbacks(client);
    for (const type of MAILJET_WEBHOOK_EVENT_TYPES) {
      step = type;
      await upsertCallback(client, existing, type, withCredentials);
    }
  } catch (e) {
    throw scrubbed(classifyMailjetError(e), input.basicPassword, step);
  }
  return { url: plain };
}
