import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body>`, HMAC-SHA256 with the secret's key bytes (the base64 after
 * `whsec_`), base64-encoded and versioned `v1,`. With several secrets (a rotation) every one signs and
 * the signatures are space-separated: a receiver holding either secret verifies.
 */
export function signCallback(keys: readonly Buffer[], msgId: string, timestampSeconds: number, body: string): string {
  if (keys.length === 0) throw new Error('no callback signing secret');
  const content = `${msgId}.${timestampSeconds}.${body}`;
  return keys.map((key) => `v1,${createHmac('sha256', key).update(content, 'utf8').digest('base64')}`).join(' ');
}

/** Every `webhook-signature` signCallback makes: one `v1,<base64 of 32 bytes>` per secret, space-separated. */
export const CALLBACK_SIGNATURE_PATTERN = /^v1,[A-Za-z0-9+/]{43}=( v1,[A-Za-z0-9+/]{43}=)*$/;

export interface CallbackHeaders {
  'content-type': 'application/json';
  'user-agent': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The headers of one delivery attempt: the id is the event's, the timestamp this attempt's. */
export function callbackHeaders(keys: readonly Buffer[], msgId: string, at: Date, body: string): CallbackHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Mailroom-Callbacks/1',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signCallback(keys, msgId, timestamp, body),
  };
}
