import { createHmac, randomBytes } from 'node:crypto';
import type { MailgunEventData } from './mailgun-events';

/**
 * Mailgun's webhook posts (contracts §2.3): `application/json`
 * `{"signature":{"timestamp","token","signature"},"event-data":{...}}`, one event per post, where
 * `signature = hex(HMAC-SHA256(http signing key, timestamp + token))`. The HMAC covers the timestamp and
 * the token only, never the event: a receiver's defences are the signature, the age of the timestamp and
 * refusing a token it has seen before.
 */
export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

export interface MailgunWebhookPostOptions {
  /** Unix seconds to sign (default now): an old one makes a stale post. */
  timestamp?: number;
  /** Sign with this key instead of the account's (a wrong key). */
  signingKey?: string;
  /** Change one signed field after signing, as a forger would. */
  tamper?: 'signature' | 'timestamp' | 'token';
  /** Send this signature block again instead of a fresh one (a replay of a captured post). */
  reuse?: MailgunSignature;
  /** Leave the signature block out entirely. */
  unsigned?: boolean;
}

export interface MailgunWebhookPost {
  /** The exact bytes posted. */
  body: Buffer;
  /** The signature block sent (absent when unsigned): pass it as `reuse` to replay. */
  signature?: MailgunSignature;
}

export function signMailgunWebhook(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
}

/** A fresh 50-character token, like Mailgun's. */
export function newMailgunToken(): string {
  return randomBytes(25).toString('hex');
}

function tampered(sig: MailgunSignature, field: NonNullable<MailgunWebhookPostOptions['tamper']>): MailgunSignature {
  if (field === 'signature') {
    const last = sig.signature.slice(-1);
    return { ...sig, signature: sig.signature.slice(0, -1) + (last === '0' ? '1' : '0') };
  }
  if (field === 'timestamp') return { ...sig, timestamp: String(Number(sig.timestamp) + 1) };
  return { ...sig, token: newMailgunToken() };
}

export function buildMailgunWebhookPost(
  accountKey: string,
  eventData: MailgunEventData,
  options: MailgunWebhookPostOptions = {},
): MailgunWebhookPost {
  let signature: MailgunSignature | undefined;
  if (options.reuse) signature = { ...options.reuse };
  else if (!options.unsigned) {
    const timestamp = String(Math.floor(options.timestamp ?? Date.now() / 1000));
    const token = newMailgunToken();
    signature = { timestamp, token, signature: signMailgunWebhook(options.signingKey ?? accountKey, timestamp, token) };
    if (options.tamper) signature = tampered(signature, options.tamper);
  }
  const payload = signature ? { signature, 'event-data': eventData } : { 'event-data': eventData };
  return { body: Buffer.from(JSON.stringify(payload), 'utf8'), signature };
}

/** Posts as Mailgun does: JSON body, its User-Agent; answers the receiver's status and text. */
export async function postMailgunWebhook(url: string, post: MailgunWebhookPost): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'mailgun/treq-16.12.0' },
    body: post.body,
  });
  return { status: res.status, body: await res.text() };
}
