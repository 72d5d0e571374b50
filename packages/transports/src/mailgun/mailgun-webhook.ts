import { createHmac, timingSafeEqual } from 'node:crypto';
import { isMachineOpen, providerReplyCodes, withoutUndefined } from '@mailroom/domain';
import { staleSignedTimestamp } from '../signed-timestamp';
import type { IncomingWebhook, NormalizedEvent, VerifyOutcome } from '../webhook';
import { MAILGUN_EMAIL_ID_VAR, MAILGUN_TENANT_ID_VAR, stripAngleBrackets } from './build-mailgun-message';
import { MailgunWebhookPayloadError } from './mailgun-webhook-payload-error';

type Json = Record<string, unknown>;

/**
 * How long Mailgun retries a post we did not answer 200 or 406 (contracts §2.3: after 10 min, 10 min,
 * 15 min, 30 min, 1 h, 2 h and 4 h, about 8 h 5 min in all), each retry resending the first attempt's
 * signature block: 9 h, so that its last retry is still taken for one. The token a post carries is
 * remembered as long (replay-tokens.ts): within the window a replay is refused by its token.
 */
export const MAILGUN_RETRIES_FOR_SECONDS = 9 * 3600;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
/** Mailgun may hand a `v:` value back as a number when it looks like one. */
const idOf = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v));

/** Each post's body is read once: verification and parsing are handed the same bytes (decision 0041). */
const parsedBodies = new WeakMap<Buffer, unknown>();

function parseJson(raw: Buffer): unknown {
  if (parsedBodies.has(raw)) return parsedBodies.get(raw);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    value = undefined;
  }
  parsedBodies.set(raw, value);
  return value;
}

/**
 * Verifies a Mailgun webhook post (contracts §2.3): JSON `{signature:{timestamp, token, signature}, ...}`
 * where `signature = hex(HMAC-SHA256(http signing key, timestamp + token))`, compared in constant time.
 * A timestamp older than `maxAgeSeconds` (by default as long as Mailgun retries), or ahead of our clock,
 * is stale (signed-timestamp.ts). The HMAC does not cover
 * `event-data`, so a captured signature could carry forged events: on success the token comes back as
 * `replayToken`, and the receiver must refuse a token it has already seen (it keeps them in Redis).
 */
export function verifyMailgunWebhook(
  incoming: IncomingWebhook,
  signingKey: string | undefined,
  now: Date,
  maxAgeSeconds = MAILGUN_RETRIES_FOR_SECONDS,
): VerifyOutcome {
  const body = parseJson(incoming.rawBody);
  if (!isObject(body)) return { ok: false, reason: 'malformed', message: 'the body is not a JSON object, as Mailgun posts' };
  const signature = body.signature;
  if (!isObject(signature)) return { ok: false, reason: 'unsigned', message: 'the post carries no signature block' };
  if (!signingKey) return { ok: false, reason: 'no-key', message: 'no Mailgun webhook signing key is stored for this tenant' };
  const timestamp = typeof signature.timestamp === 'number' ? String(signature.timestamp) : signature.timestamp;
  const { token, signature: given } = signature;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'malformed', message: 'signature.timestamp is missing or not unix seconds' };
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > 256) {
    return { ok: false, reason: 'malformed', message: 'signature.token is missing or unreasonable' };
  }
  if (typeof given !== 'string' || given.length === 0) return { ok: false, reason: 'unsigned', message: 'signature.signature is missing' };
  const expected = Buffer.from(
    createHmac('sha256', signingKey)
      .update(timestamp + token)
      .digest('hex'),
    'utf8',
  );
  const matches = (candidate: unknown) => {
    if (typeof candidate !== 'string') return false;
    const received = Buffer.from(candidate.toLowerCase(), 'utf8');
    return received.length === expected.length && timingSafeEqual(received, expected);
  };
  // A subaccount's domain also signs with its parent account's key (contracts §2.3): an admin who
  // stored the parent's signing key is answered by that one.
  if (!matches(given) && !matches(signature['parent-signature'])) {
    return { ok: false, reason: 'bad-signature', message: 'the signature does not match the timestamp, the token and the signing key' };
  }
  const stale = staleSignedTimestamp(Number(timestamp), now, maxAgeSeconds);
  if (stale) return stale;
  return { ok: true, replayToken: token };
}

/** `delivery-status.code` is the SMTP reply code (550); the enhanced status, when any, is in the server's `message`. */
function codesOf(delivery: Json): Pick<NormalizedEvent, 'responseCode' | 'statusCode'> {
  return providerReplyCodes(delivery.code, str(delivery.message));
}

/**
 * Whether an open or click was a machine: Mailgun's own bot detection (`client-info.bot`: `apple` for
 * Apple MPP, `gmail`, `generic` for scanners and firewalls; empty for a person) decides when it flags
 * one; otherwise the shared User-Agent heuristics (a bare `Mozilla/5.0` is Apple's proxy...) still apply.
 */
function isMachine(data: Json): boolean {
  const client = isObject(data['client-info']) ? data['client-info'] : {};
  if (str(client.bot)) return true;
  return isMachineOpen(str(client['user-agent']));
}

type Mapped = Pick<NormalizedEvent, 'type' | 'reason' | 'responseCode' | 'statusCode' | 'bounceType' | 'machine' | 'url' | 'userAgent'>;

/** What each Mailgun event means for us; events we do not track (stored, list_*...) map to nothing. */
function mapEvent(data: Json): Mapped | undefined {
  const delivery = isObject(data['delivery-status']) ? data['delivery-status'] : {};
  const words = str(delivery.message) ?? str(delivery.description) ?? str(data.reason);
  const agent = isObject(data['client-info']) ? str(data['client-info']['user-agent']) : undefined;
  switch (data.event) {
    case 'accepted':
      return { type: 'accepted' };
    case 'delivered':
      return { type: 'delivered', reason: words, ...codesOf(delivery) };
    case 'failed':
      if (data.severity === 'temporary') return { type: 'deferred', reason: words, ...codesOf(delivery) };
      // suppress-bounce / -unsubscribe / -complaint: Mailgun never tried, the address is on a suppression list.
      if (str(data.reason)?.startsWith('suppress-')) return { type: 'dropped', reason: words, ...codesOf(delivery) };
      return { type: 'bounced', bounceType: 'hard', reason: words, ...codesOf(delivery) };
    case 'rejected': {
      const reject = isObject(data.reject) ? data.reject : {};
      return { type: 'dropped', reason: str(reject.reason) ?? str(reject.description) ?? words };
    }
    case 'opened':
      return { type: 'opened', machine: isMachine(data), userAgent: agent };
    case 'clicked':
      return { type: 'clicked', url: str(data.url), userAgent: agent, ...(isMachine(data) ? { machine: true } : {}) };
    case 'unsubscribed':
      return { type: 'unsubscribed' };
    case 'complained':
      return { type: 'complained' };
    default:
      return undefined;
  }
}

/**
 * Reads one Mailgun webhook post (one event per post; an array for uniformity with the other providers).
 * Our ids come from `user-variables` (the `v:` fields sent), the dedupe key is `mailgun:<event-data.id>`,
 * the time is the float `timestamp`. An event type we do not track gives an empty array; a body that is
 * not a Mailgun event throws MailgunWebhookPayloadError.
 */
export function parseMailgunEvent(rawBody: Buffer): NormalizedEvent[] {
  const body = parseJson(rawBody);
  if (body === undefined)
    throw new MailgunWebhookPayloadError('The Mailgun webhook body is not JSON: Mailgun posts {"signature":{...},"event-data":{...}}');
  const data = isObject(body) ? body['event-data'] : undefined;
  if (!isObject(data)) throw new MailgunWebhookPayloadError('The Mailgun webhook body has no "event-data" object');
  const id = str(data.id);
  if (!id) throw new MailgunWebhookPayloadError('The Mailgun event has no "id"');
  const seconds = typeof data.timestamp === 'number' ? data.timestamp : Number(data.timestamp);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new MailgunWebhookPayloadError('The Mailgun event has no valid "timestamp"');
  const mapped = mapEvent(data);
  if (!mapped) return [];
  const variables = isObject(data['user-variables']) ? data['user-variables'] : {};
  const headers = isObject(data.message) && isObject(data.message.headers) ? data.message.headers : {};
  const messageId = str(headers['message-id']);
  return [
    withoutUndefined({
      ...mapped,
      emailId: idOf(variables[MAILGUN_EMAIL_ID_VAR]),
      tenantId: idOf(variables[MAILGUN_TENANT_ID_VAR]),
      recipient: str(data.recipient)?.toLowerCase(),
      at: new Date(Math.round(seconds * 1000)).toISOString(),
      key: `mailgun:${id}`,
      providerMessageId: messageId ? stripAngleBrackets(messageId) : undefined,
    }),
  ];
}
