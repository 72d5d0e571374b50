import { DeliveryError, HintFields, hintOf, hintPromisingRetry, SENDER_NOT_VERIFIED } from '@mailroom/domain';
import { isRetryableHttpStatus, NETWORK_ERROR_CODES, parseRetryAfter } from '../http-failure';

/**
 * How node-mailjet 6.0.11 rejects (contracts §3.2, read in its bundle): a plain Error with `statusCode`
 * (null when no HTTP answer came), the axios `code`, `response` (axios response or null), and the body's
 * top-level `ErrorCode`/`ErrorMessage`/`ErrorIdentifier` copied on it. Per-message errors stay in
 * `response.data.Messages[].Errors[]`. The error also carries axios' `config`, whose `auth` holds the
 * keys: it is read here and never passed on (no `cause`), so no key can reach a log.
 */
export interface MailjetSdkError {
  message?: string;
  code?: string;
  statusCode?: number | null;
  originalMessage?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
  ErrorIdentifier?: string;
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } | null;
}

/** One Mailjet error entry (global body, or an item of a message's `Errors[]`). */
export interface MailjetErrorEntry {
  ErrorCode?: string;
  ErrorMessage?: string;
  ErrorIdentifier?: string;
  StatusCode?: number;
  ErrorRelatedTo?: string[];
}

export const HINTS = {
  auth: hintOf('mailjet.auth', 'Mailjet rejected the API keys: check the public and private key pair'),
  sender: hintOf('mailjet.sender', 'Mailjet refused the sender: validate fromAddress in Mailjet'),
  tooLarge: hintOf(
    'mailjet.tooLarge',
    'The email is too large for Mailjet (15 MB of attachments at most): send fewer or smaller attachments',
  ),
  invalid: hintOf('mailjet.invalid', "Mailjet refused the email as invalid: see Mailjet's words in the response"),
  forbidden: hintOf('mailjet.forbidden', "Mailjet refused this request for the account: see Mailjet's words in the response"),
  notFound: hintOf('mailjet.notFound', 'Mailjet answered 404: check MAILJET_API_URL'),
} as const;

/** The hints of temporary failures: each promises the retry, and reads without it when nothing will retry. */
export const RETRIED_HINTS = {
  rateLimited: hintPromisingRetry('mailjet.rateLimited', 'Mailjet is rate-limiting this account', 'the email will be retried'),
  unavailable: hintPromisingRetry('mailjet.unavailable', 'Mailjet is having trouble', 'the email will be retried'),
  unreachable: hintPromisingRetry('mailjet.unreachable', 'Mailjet could not be reached', 'the email will be retried'),
  timedOut: hintPromisingRetry('mailjet.timedOut', 'Mailjet did not answer in time', 'the email will be retried'),
} as const;

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** Every error entry of an answer body: the per-message `Errors[]`, else the global error. */
export function mailjetErrorsOf(body: unknown): MailjetErrorEntry[] {
  const b = asObject(body);
  if (!b) return [];
  if (Array.isArray(b.Messages)) {
    return b.Messages.flatMap((m) => {
      const errors = asObject(m)?.Errors;
      return Array.isArray(errors) ? (errors.filter((e) => asObject(e)) as MailjetErrorEntry[]) : [];
    });
  }
  return typeof b.ErrorMessage === 'string' || typeof b.ErrorCode === 'string' ? [b as MailjetErrorEntry] : [];
}

/** Mailjet's own words: `code: message [related to]`, joined. */
export function describeMailjetErrors(errors: MailjetErrorEntry[]): string | undefined {
  if (errors.length === 0) return undefined;
  return errors
    .map((e) => {
      const related = e.ErrorRelatedTo?.length ? ` [${e.ErrorRelatedTo.join(', ')}]` : '';
      return `${e.ErrorCode ?? 'error'}: ${e.ErrorMessage ?? 'no message'}${related}`;
    })
    .join('; ');
}

function isTimeout(err: MailjetSdkError): boolean {
  return err.code === 'ETIMEDOUT' || (err.code === 'ECONNABORTED' && /timeout/i.test(err.originalMessage ?? err.message ?? ''));
}

function networkError(err: MailjetSdkError): DeliveryError {
  const timeout = isTimeout(err);
  const code = timeout ? 'ETIMEDOUT' : err.code && NETWORK_ERROR_CODES.has(err.code) ? err.code : 'ECONNECTION';
  const words = err.originalMessage ?? err.message ?? 'no answer';
  return new DeliveryError(`Mailjet did not answer: ${words}`, {
    code,
    retryable: true,
    response: words,
    // A timed-out send may still have been accepted; Mailjet has no idempotency key, so a retry can duplicate it.
    ...(timeout ? RETRIED_HINTS.timedOut : RETRIED_HINTS.unreachable),
  });
}

function hintFor(status: number, codes: string[]): HintFields {
  if (status === 401 || codes.includes('mj-0015') || codes.includes('mj-0001')) return HINTS.auth;
  if (codes.includes('send-0008')) return HINTS.sender;
  if (status === 413 || codes.includes('mj-0011')) return HINTS.tooLarge;
  if (status === 429) return RETRIED_HINTS.rateLimited;
  if (status >= 500) return RETRIED_HINTS.unavailable;
  if (status === 404) return HINTS.notFound;
  if (status === 403) return HINTS.forbidden;
  return HINTS.invalid;
}

/** Builds the DeliveryError for an answer Mailjet gave (status and body known). */
export function mailjetAnswerError(status: number, body: unknown, headers?: Record<string, unknown>): DeliveryError {
  const errors = mailjetErrorsOf(body);
  const codes = errors.map((e) => e.ErrorCode ?? '');
  const response = describeMailjetErrors(errors) ?? `HTTP ${status}`;
  const tooLarge = codes.includes('mj-0011');
  const retryable = !tooLarge && isRetryableHttpStatus(status);
  const retryAfter = headers?.['retry-after'];
  return new DeliveryError(`Mailjet refused the request (${status}): ${response}`, {
    // send-0008: the From address is not one of the account's validated senders; the keys were fine.
    code: codes.includes('send-0008') ? SENDER_NOT_VERIFIED : `http_${status}`,
    retryable,
    responseCode: status,
    response,
    ...hintFor(status, codes),
    retryAfterMs: retryable ? parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined) : undefined,
    ...(status === 429 ? { rateLimited: true } : {}),
  });
}

/** Any rejection of a node-mailjet call, as the DeliveryError whose `retryable` decides what happens next. */
export function classifyMailjetError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const err = (asObject(e) ?? {}) as MailjetSdkError;
  const status = err.statusCode ?? err.response?.status ?? null;
  if (status === null || status === undefined) {
    if (err.code) return networkError(err);
    return new DeliveryError(`Mailjet client failed: ${err.message ?? String(e)}`, { code: 'EINTERNAL', retryable: true });
  }
  const body = err.response?.data ?? { ErrorCode: err.ErrorCode, ErrorMessage: err.ErrorMessage, ErrorIdentifier: err.ErrorIdentifier };
  return mailjetAnswerError(status, body, err.response?.headers);
}
