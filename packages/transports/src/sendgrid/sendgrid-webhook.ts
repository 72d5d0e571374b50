import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';
import { providerReplyCodes, withoutUndefined } from '@mailroom/domain';
import { staleSignedTimestamp } from '../signed-timestamp';
import type { IncomingWebhook, NormalizedEvent, VerifyOutcome } from '../webhook';
import { SENDGRID_EMAIL_ID_ARG, SENDGRID_TENANT_ID_ARG } from './build-sendgrid-mail';

/** The signed Event Webhook headers (lower-cased, as IncomingWebhook holds them). */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * How long SendGrid retries a post we did not answer 2xx: "for up to 24 hours after the event occurs"
 * (contracts §1.3). Whether a retry is signed again is not documented, so a retry that carries the
 * first attempt's timestamp is taken too, for 25 hours. Replays inside the window are harmless:
 * events are deduplicated on `sg_event_id`.
 */
export const SENDGRID_RETRIES_FOR_SECONDS = 25 * 3600;

/**
 * Verifies a Signed Event Webhook post: ECDSA P-256 / SHA-256 over `timestamp + raw body` (the exact bytes,
 * CRLFs included), against the account's verification key (base64 DER SPKI). The SDK checks no freshness,
 * so a timestamp older than `maxAgeSeconds` (by default as long as SendGrid retries), or ahead of our
 * clock, is refused as stale (signed-timestamp.ts). Replays inside the window are harmless: events are
 * deduplicated on `sg_event_id`.
 */
export function verifySendgridWebhook(
  incoming: IncomingWebhook,
  publicKeyBase64Der: string | undefined,
  now: Date,
  maxAgeSeconds = SENDGRID_RETRIES_FOR_SECONDS,
): VerifyOutcome {
  const signature = incoming.headers[SENDGRID_SIGNATURE_HEADER];
  const timestamp = incoming.headers[SENDGRID_TIMESTAMP_HEADER];
  if (!signature) return { ok: false, reason: 'unsigned', message: 'the post carries no X-Twilio-Email-Event-Webhook-Signature header' };
  if (!publicKeyBase64Der) return { ok: false, reason: 'no-key', message: 'no SendGrid verification key is stored for this tenant' };
  let key: KeyObject;
  try {
    // SendGrid shows the key as bare base64; an admin may paste it with PEM armour or line breaks.
    const base64 = publicKeyBase64Der.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
    key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return { ok: false, reason: 'no-key', message: 'the stored SendGrid verification key is not a valid public key' };
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp.trim())) {
    return { ok: false, reason: 'malformed', message: 'the X-Twilio-Email-Event-Webhook-Timestamp header is missing or not unix seconds' };
  }
  let genuine: boolean;
  try {
    genuine = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), incoming.rawBody]), key, Buffer.from(signature, 'base64'));
  } catch {
    genuine = false;
  }
  if (!genuine) return { ok: false, reason: 'bad-signature', message: 'the signature does not match the body and the verification key' };
  const stale = staleSignedTimestamp(Number(timestamp), now, maxAgeSeconds);
  if (stale) return stale;
  return { ok: true };
}

/** A body that is not a JSON array of events: the receiver answers 400. */
export class SendgridWebhookPayloadError extends Error {
  override readonly name = 'SendgridWebhookPayloadError';
}

type SendgridEvent = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** What each SendGrid event type means for us; types not listed (group_resubscribe...) are skipped. */
function mapEvent(
  e: SendgridEvent,
): Pick<NormalizedEvent, 'type' | 'reason' | 'responseCode' | 'statusCode' | 'bounceType' | 'machine' | 'url' | 'userAgent'> | undefined {
  const reason = str(e.reason);
  // `status` is the enhanced code ("5.1.1"), or on some bounces a bare reply code ("550"); the server's
  // reply itself (`550 5.1.1 ...`) is in `response` (delivered, deferred) or `reason` (bounce, dropped).
  const codes = providerReplyCodes(e.status, str(e.response) ?? reason);
  switch (e.event) {
    case 'processed':
      return { type: 'accepted' };
    case 'delivered':
      return { type: 'delivered', reason: str(e.response), ...codes };
    case 'deferred':
      return { type: 'deferred', reason: str(e.response), ...codes };
    case 'bounce': {
      // type "blocked" is SendGrid's block: the receiving server refused this message (content, IP
      // reputation, policy), not the mailbox. The message is lost, so it is a bounce and not a drop
      // (SendGrid did try to send it), but a soft one: the address stays good, and a suppression list fed
      // by hard bounces must not shut out a recipient over one of SendGrid's IPs being blocked.
      if (e.type === 'blocked') return { type: 'bounced', bounceType: 'soft', reason, ...codes };
      // type "bounce": 5.x.x / 5xx is permanent (hard); a 4.x.x / 4xx that SendGrid gave up on is soft. No
      // code: hard, as SendGrid only reports a bounce once the receiving server refused for good.
      const temporary = codes.statusCode ? codes.statusCode.startsWith('4') : Math.floor((codes.responseCode ?? 500) / 100) === 4;
      return { type: 'bounced', bounceType: temporary ? 'soft' : 'hard', reason, ...codes };
    }
    case 'dropped':
      return { type: 'dropped', reason, ...codes };
    case 'open':
      return { type: 'opened', machine: e.sg_machine_open === true, userAgent: str(e.useragent) };
    case 'click':
      return { type: 'clicked', url: str(e.url), userAgent: str(e.useragent) };
    case 'spamreport':
      return { type: 'complained' };
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { type: 'unsubscribed' };
    default:
      return undefined;
  }
}

function toNormalized(e: SendgridEvent): NormalizedEvent | undefined {
  const mapped = mapEvent(e);
  const seconds = typeof e.timestamp === 'number' ? e.timestamp : Number(e.timestamp);
  if (!mapped || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  // sg_event_id is unique per event and stable across SendGrid's retries; without one (never seen), a
  // hash of the event's own JSON is just as stable.
  const eventId = str(e.sg_event_id) ?? `h:${createHash('sha256').update(JSON.stringify(e)).digest('base64url')}`;
  return withoutUndefined({
    ...mapped,
    emailId: str(e[SENDGRID_EMAIL_ID_ARG]),
    tenantId: str(e[SENDGRID_TENANT_ID_ARG]),
    recipient: str(e.email)?.toLowerCase(),
    at: new Date(seconds * 1000).toISOString(),
    key: `sendgrid:${eventId}`,
    // sg_message_id is the send answer's X-Message-Id, a dot, then SendGrid's routing suffix.
    providerMessageId: str(e.sg_message_id)?.split('.')[0],
  });
}

/**
 * Reads an Event Webhook batch: a JSON array of events, each carrying our custom args flattened as
 * top-level keys. Events of types we do not track, and entries that are not events, are skipped (refusing
 * the batch would only make SendGrid retry it for 24 hours); a body that is not a JSON array throws.
 */
export function parseSendgridEvents(rawBody: Buffer): NormalizedEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new SendgridWebhookPayloadError('The SendGrid webhook body is not JSON: SendGrid posts a JSON array of events');
  }
  if (!Array.isArray(parsed)) throw new SendgridWebhookPayloadError('The SendGrid webhook body is not a JSON array of events');
  return parsed
    .filter((e): e is SendgridEvent => typeof e === 'object' && e !== null && !Array.isArray(e))
    .map(toNormalized)
    .filter((e): e is NormalizedEvent => e !== undefined);
}
