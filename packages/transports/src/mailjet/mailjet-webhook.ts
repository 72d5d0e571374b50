import { createHash, timingSafeEqual } from 'node:crypto';
import JSONbig from 'json-bigint';
import { isMachineOpen, providerReplyCodes, withoutUndefined, type EmailEventType } from '@mailroom/domain';
import type { IncomingWebhook, NormalizedEvent, VerifyOutcome } from '../webhook';
import type { MailjetEventPayload } from './build-mailjet-message';
import { MailjetWebhookPayloadError } from './mailjet-webhook-payload-error';

/** The Basic credentials Mailroom generated for one tenant's Mailjet callbacks (embedded in the callback URL). */
export interface MailjetWebhookCredentials {
  user: string;
  password: string;
}

/** Equal-length digests compared in constant time, so neither length nor content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Mailjet signs nothing: its Event API authenticates with HTTP Basic credentials embedded in the callback
 * URL (`https://user:pass@host/path`), sent as `Authorization: Basic`. Checks them against the tenant's
 * in constant time. There is no timestamp or nonce (Mailjet retries the same post for 24 h), so replays
 * are absorbed by the event keys, not here.
 */
export function verifyMailjetWebhook(incoming: IncomingWebhook, expected: MailjetWebhookCredentials | undefined): VerifyOutcome {
  if (!expected) return { ok: false, reason: 'no-key', message: 'no Mailjet webhook credentials are stored for this tenant' };
  const header = incoming.headers.authorization;
  if (!header)
    return { ok: false, reason: 'unsigned', message: 'the post carries no Authorization header (Basic credentials from the callback URL)' };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return { ok: false, reason: 'malformed', message: 'the Authorization header is not HTTP Basic' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'malformed', message: 'the Basic credentials are not user:password' };
  const userOk = sameSecret(decoded.slice(0, colon), expected.user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), expected.password);
  // Both halves are compared every time: which one was wrong does not show in the timing.
  if (!(userOk && passwordOk)) return { ok: false, reason: 'bad-signature', message: 'the Basic credentials do not match this tenant' };
  return { ok: true };
}

/**
 * json-bigint keeps numbers of more than 15 digits as strings (`MessageID` exceeds 2^53: JSON.parse
 * would turn 19421777835146490 and …491 into the same number), refuses duplicate keys, and throws on
 * `__proto__`/`constructor` keys instead of honouring them.
 */
const bigintSafeJson = JSONbig({ storeAsString: true, strict: true });

type MailjetEvent = Record<string, unknown>;

/**
 * What each Mailjet event means for us. `sent` is Mailjet's report that the recipient's mail server
 * accepted the message (it carries that server's `smtp_reply`, e.g. `250 2.0.0 OK`); Mailjet has no later
 * delivery event, and that acceptance is exactly our `delivered` step (the provider says the recipient's
 * server took it). `blocked` means Mailjet itself refused to send (exclusion list, preblocked, spam
 * content): the message never left, which is our `dropped`.
 */
const TYPES: Record<string, EmailEventType> = {
  sent: 'delivered',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  blocked: 'dropped',
  spam: 'complained',
  unsub: 'unsubscribed',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Decimal digits of an id that json-bigint left as a string (long) or a number (short). */
function digits(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/**
 * The two codes of the receiving server's reply, which Mailjet quotes bare in a bounce's `comment`
 * (`550 5.1.1 <a@b>: ...`) or wrapped in its own words in `smtp_reply` (`sent (250 2.0.0 OK ...)`).
 * `error_related_to`/`error` is Mailjet's classification, never a code.
 */
function codesIn(text: string | undefined): Pick<NormalizedEvent, 'responseCode' | 'statusCode'> {
  const reply = text && /^[^(]*\((.*)\)\s*$/s.exec(text)?.[1];
  return providerReplyCodes(undefined, reply && /^\s*[2-5]\d\d\b/.test(reply) ? reply : text);
}

/** Our ids from `Payload` (= the `EventPayload` we sent); anything else there is not ours and ignored. */
function payloadOf(v: unknown): Partial<MailjetEventPayload> {
  const text = str(v);
  if (!text?.trim().startsWith('{')) return {};
  try {
    const p = JSON.parse(text) as Record<string, unknown>;
    return { emailId: str(p.emailId), tenantId: str(p.tenantId) };
  } catch {
    return {};
  }
}

/** Mailjet's error pair (`error_related_to: error`), plus its free-text `comment` when there is one. */
function errorWords(e: MailjetEvent): string | undefined {
  const pair = [str(e.error_related_to), str(e.error)].filter(Boolean).join(': ');
  const comment = str(e.comment);
  if (!pair) return comment;
  return comment ? `${pair} (${comment})` : pair;
}

type Mapped = Pick<NormalizedEvent, 'reason' | 'responseCode' | 'statusCode' | 'bounceType' | 'machine' | 'url' | 'userAgent'>;

function detailsOf(e: MailjetEvent): Mapped {
  const agent = str(e.agent);
  switch (e.event) {
    case 'sent':
      return { reason: str(e.smtp_reply), ...codesIn(str(e.smtp_reply)) };
    case 'open':
      return { machine: isMachineOpen(agent), userAgent: agent };
    case 'click':
      return { machine: isMachineOpen(agent), userAgent: agent, url: str(e.url) };
    case 'bounce':
      // error_related_to/error is Mailjet's classification (recipient: user unknown), not an SMTP code:
      // it goes into the reason; the codes are those of the receiving server's reply in the comment.
      return { bounceType: e.hard_bounce === true ? 'hard' : 'soft', reason: errorWords(e), ...codesIn(str(e.comment)) };
    case 'blocked':
      return { reason: errorWords(e), ...codesIn(str(e.comment)) };
    case 'spam':
      return { reason: str(e.source) && `spam complaint reported through ${str(e.source)}` };
    case 'unsub':
      return { userAgent: agent };
    default:
      return {};
  }
}

function toNormalized(e: MailjetEvent, index: number): NormalizedEvent | undefined {
  const where = `event #${index}`;
  const event = str(e.event);
  if (!event) throw new MailjetWebhookPayloadError(`Mailjet ${where} has no "event" field`);
  const type = TYPES[event];
  if (!type) return undefined; // a type we do not track: skipped, never refused (Mailjet would retry it for 24 h)
  const seconds = typeof e.time === 'number' ? e.time : typeof e.time === 'string' && /^\d+$/.test(e.time) ? Number(e.time) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new MailjetWebhookPayloadError(`Mailjet ${where} (${event}) has no valid "time"`);
  const email = str(e.email)?.toLowerCase();
  if (!email) throw new MailjetWebhookPayloadError(`Mailjet ${where} (${event}) has no "email"`);
  const guid = str(e.Message_GUID);
  const messageId = digits(e.MessageID) ?? digits(e.mj_message_id);
  const payload = payloadOf(e.Payload);
  const details = detailsOf(e);
  // Mailjet has no event id: the event, the message, the recipient and the second identify it.
  const key = [
    'mailjet',
    event,
    guid ?? messageId ?? 'no-id',
    email,
    String(seconds),
    ...(event === 'click' && details.url ? [details.url] : []),
  ].join(':');
  return withoutUndefined({
    ...details,
    type,
    emailId: str(e.CustomID) ?? payload.emailId,
    tenantId: payload.tenantId,
    recipient: email,
    at: new Date(seconds * 1000).toISOString(),
    key,
    providerMessageId: guid,
  });
}

/**
 * Reads a Mailjet Event API post: one bare event object (callbacks without grouping) or a JSON array of
 * events (`Version: 2`, "group events"). Events of types we do not track are skipped; a body that is not
 * JSON, not events, or an event without `event`/`time`/`email` throws a MailjetWebhookPayloadError.
 */
export function parseMailjetEvents(rawBody: Buffer): NormalizedEvent[] {
  let parsed: unknown;
  try {
    parsed = bigintSafeJson.parse(rawBody.toString('utf8'));
  } catch (e) {
    // json-bigint throws a plain { name, message, at, text } object, not an Error.
    const why = typeof (e as { message?: unknown })?.message === 'string' ? (e as { message: string }).message : 'unreadable';
    throw new MailjetWebhookPayloadError(
      `The Mailjet webhook body is not valid JSON (${why}): Mailjet posts an event object or an array of them`,
    );
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  return events
    .map((e, i) => {
      if (typeof e !== 'object' || e === null || Array.isArray(e))
        throw new MailjetWebhookPayloadError(`Mailjet event #${i} is not a JSON object`);
      return toNormalized(e as MailjetEvent, i);
    })
    .filter((e): e is NormalizedEvent => e !== undefined);
}
