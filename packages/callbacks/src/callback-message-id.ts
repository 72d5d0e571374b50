import { createHash } from 'node:crypto';

/**
 * The `webhook-id` of an event: `msg_` and 128 bits of SHA-256 over its order key (the email) and its
 * key (the transition). Deterministic, so an event published twice, or retried, keeps its id and the
 * platform can drop the repeat; hex, so it is also a valid BullMQ job id (no ":").
 */
export function callbackMessageId(orderKey: string, key: string): string {
  return `msg_${createHash('sha256').update(`${orderKey}\n${key}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Every `webhook-id` callbackMessageId makes (the OpenAPI document states it). */
export const CALLBACK_MESSAGE_ID_PATTERN = /^msg_[0-9a-f]{32}$/;
