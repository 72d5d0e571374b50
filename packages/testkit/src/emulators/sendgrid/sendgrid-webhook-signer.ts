import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import type { SendgridEvent } from './sendgrid-events';

/**
 * Signs Event Webhook posts exactly as SendGrid does: ECDSA P-256 / SHA-256 over `timestamp + raw body`,
 * the body being the JSON array with `\r\n` after each event (`[{..},\r\n{..}]\r\n`), so a receiver that
 * re-serialises the parsed JSON instead of keeping the raw bytes fails verification, as it would in production.
 */
const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export interface SendgridSigningKeys {
  privateKey: KeyObject;
  /** What SendGrid shows as the verification key: base64 DER SubjectPublicKeyInfo, no PEM armour. */
  publicKeyBase64: string;
}

export interface SendgridSignedPostOptions {
  /** Unix seconds for the timestamp header (and the signed bytes); now when absent. */
  timestamp?: number;
  /** Change one byte of the body after signing (the body stays valid JSON). */
  tamper?: boolean;
  /** Sign with this key instead of the account's (a forger's key). */
  signWith?: KeyObject;
  /** Leave out the signature and timestamp headers. */
  unsigned?: boolean;
}

export interface SendgridSignedPost {
  rawBody: Buffer;
  /** As SendGrid sends them (mixed case); lower-case them before handing to a verifier. */
  headers: Record<string, string>;
}

export function generateSendgridSigningKeys(): SendgridSigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
}

/** The raw body of a post: a JSON array, `\r\n` after each event, ending with `]\r\n`. */
export function sendgridWebhookBody(events: SendgridEvent[]): Buffer {
  return Buffer.from(`[${events.map((e) => JSON.stringify(e)).join(',\r\n')}]\r\n`, 'utf8');
}

/** Changes the first digit of the first `"timestamp":` value: a forged event time, still valid JSON. */
function tamperWith(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  const marker = copy.indexOf('"timestamp":');
  const at = marker >= 0 ? marker + '"timestamp":'.length : 1;
  const digit = copy[at];
  copy[at] = digit >= 0x30 && digit <= 0x38 ? digit + 1 : digit === 0x39 ? 0x31 : digit ^ 0x01;
  return copy;
}

export function signSendgridPost(
  events: SendgridEvent[],
  privateKey: KeyObject,
  options: SendgridSignedPostOptions = {},
): SendgridSignedPost {
  const body = sendgridWebhookBody(events);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), options.signWith ?? privateKey).toString(
    'base64',
  );
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'SendGrid Event API' };
  if (!options.unsigned) {
    headers[SIGNATURE_HEADER] = signature;
    headers[TIMESTAMP_HEADER] = timestamp;
  }
  return { rawBody: options.tamper ? tamperWith(body) : body, headers };
}

/** Posts a signed batch to a receiver, as SendGrid's delivery does; answers the receiver's status and body. */
export async function postSendgridWebhook(url: string, post: SendgridSignedPost): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers: post.headers, body: post.rawBody });
  return { status: res.status, body: await res.text() };
}
