import type { HintKey, HintParams, HintThen } from './hint-keys';

/**
 * What every transport throws. Its fields decide what happens next: `retryable === false` becomes
 * BullMQ's UnrecoverableError in the worker; `retryAfterMs` overrides the backoff (HTTP Retry-After).
 * Decided by type and fields, never by message text.
 */
export interface DeliveryErrorFields {
  code: string;
  retryable: boolean;
  /** SMTP reply code or HTTP status. */
  responseCode?: number;
  /** The server's or provider's own words. */
  response?: string;
  /** What a tenant's admin should do about it. A send's retryable error may promise the retry ("the email will be retried"). */
  hint?: string;
  /**
   * The same advice without the promise of a retry, when `hint` makes one: what is said when nothing
   * will retry (the last attempt, a test email). Absent: `hint` promises nothing (hintNotRetried).
   */
  hintWithoutRetry?: string;
  /** The stable key of `hint` (and of `hintWithoutRetry`: the same advice), for a screen to say it in its own words. */
  hintKey?: HintKey;
  /** The values `hint` embeds (a host, a provider), for those words. */
  hintParams?: HintParams;
  /** What follows the advice (`retry` when `hint` promises the retry), for those words. */
  hintThen?: HintThen;
  retryAfterMs?: number;
  /**
   * The server or provider says the sender is over its rate (SMTP 4xx "too many", HTTP 429): the worker
   * defers the email until `retryAfterMs` (or its own backoff) without using up an attempt.
   */
  rateLimited?: boolean;
  /** Per-recipient outcome when the server took some and refused others. */
  rejectedRecipients?: { email: string; response?: string; responseCode?: number }[];
}

/**
 * The code of a provider's refusal of the From address itself: the provider has not verified it as a
 * sender (Mailjet's `send-0008`, SendGrid's 403 about a Sender Identity). Set by the transports'
 * classifiers from the provider's structured answer; the key was fine.
 */
export const SENDER_NOT_VERIFIED = 'sender_not_verified';

/**
 * The code of a provider's refusal of a key that lacks the permission to send: the provider said so
 * when asked (SendGrid's `GET /v3/scopes` without `mail.send`, after a send's 403). Permanent: only a
 * key with the permission, saved in the settings, helps.
 */
export const MISSING_SCOPE = 'missing_scope';

export class DeliveryError extends Error implements DeliveryErrorFields {
  override readonly name = 'DeliveryError';
  readonly code: string;
  readonly retryable: boolean;
  readonly responseCode?: number;
  readonly response?: string;
  readonly hint?: string;
  readonly hintWithoutRetry?: string;
  readonly hintKey?: HintKey;
  readonly hintParams?: HintParams;
  readonly hintThen?: HintThen;
  readonly retryAfterMs?: number;
  readonly rateLimited?: boolean;
  readonly rejectedRecipients?: { email: string; response?: string; responseCode?: number }[];

  constructor(message: string, fields: DeliveryErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.code = fields.code;
    this.retryable = fields.retryable;
    this.responseCode = fields.responseCode;
    this.response = fields.response;
    this.hint = fields.hint;
    this.hintWithoutRetry = fields.hintWithoutRetry;
    this.hintKey = fields.hintKey;
    this.hintParams = fields.hintParams;
    this.hintThen = fields.hintThen;
    this.retryAfterMs = fields.retryAfterMs;
    this.rateLimited = fields.rateLimited;
    this.rejectedRecipients = fields.rejectedRecipients;
  }
}

export function isDeliveryError(e: unknown): e is DeliveryError {
  return e instanceof DeliveryError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'DeliveryError');
}
