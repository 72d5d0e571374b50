import { DeliveryError, HintFields, hintOf, hintPromisingRetry, SENDER_NOT_VERIFIED } from '@mailroom/domain';
import { isRetryableHttpStatus, NETWORK_ERROR_CODES, parseRetryAfter } from '../http-failure';
import { temporaryHint } from '../temporary-hint';

/**
 * Turns what the SendGrid SDK rejects with into a DeliveryError whose fields decide the retry:
 * - `ResponseError` (an HTTP answer ≥ 400): `code` is the status as a number, `response.body.errors[].message`
 *   holds SendGrid's words. 429 and 5xx are retried (Retry-After, or X-RateLimit-Reset, honoured); so is a send's
 *   403 that is not about the sender (contracts §1.1: "403 can also be a temporary block"; decision 0057);
 *   other 4xx are not.
 * - a raw `AxiosError` (no HTTP answer): `code` is a string such as ECONNREFUSED or ETIMEDOUT; retried.
 * - anything else (the SDK refusing to build the request): permanent.
 * The raw error is never attached as `cause`: an AxiosError carries the request config, Authorization header included.
 */
export type SendgridAction = 'send' | 'register-webhook' | 'verify';

export interface SendgridErrorContext {
  action: SendgridAction;
  timeoutMs: number;
  now?: number;
}

interface ResponseErrorShape {
  code: number;
  response: { headers?: unknown; body?: unknown };
}

interface AxiosErrorShape {
  isAxiosError: true;
  code?: string;
  response?: { status: number; headers?: unknown; data?: unknown };
}

/** axios's own refusals before any byte is sent: configuration mistakes, not network trouble. */
const AXIOS_CONFIG_CODES = new Set(['ERR_BAD_OPTION_VALUE', 'ERR_BAD_OPTION', 'ERR_INVALID_URL', 'ERR_NOT_SUPPORT', 'ERR_DEPRECATED']);
const RATE_LIMIT_CAP_MS = 3_600_000;

function isResponseError(e: unknown): e is ResponseErrorShape {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number' &&
    typeof (e as { response?: unknown }).response === 'object' &&
    (e as { response?: unknown }).response !== null
  );
}

function isAxiosError(e: unknown): e is AxiosErrorShape {
  return typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const withGet = headers as { get?: (n: string) => unknown };
  const viaGet = typeof withGet.get === 'function' ? withGet.get(name) : undefined;
  const entry = viaGet ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return entry === undefined || entry === null ? undefined : String(Array.isArray(entry) ? entry[0] : entry);
}

/** SendGrid's own words: `errors[].message` joined, or a short text body. */
export function sendgridErrorWords(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors)) {
    const words = (body as { errors: unknown[] }).errors
      .map((e) => (typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined))
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
    return words.length > 0 ? words.join('; ') : undefined;
  }
  if (typeof body === 'string' && body.trim().length > 0) return body.trim().slice(0, 500);
  return undefined;
}

/**
 * A 403 about the sender rather than the key: an error naming the `from` field, or a (verified) Sender
 * Identity. SendGrid gives no error codes: its `field` and its words are all there is.
 */
export function sendgridRefusesTheSender(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { errors?: unknown }).errors)) return false;
  return (body as { errors: unknown[] }).errors.some((e) => {
    const { field, message } = (typeof e === 'object' && e !== null ? e : {}) as { field?: unknown; message?: unknown };
    return (typeof field === 'string' && /^from(\.|$)/i.test(field)) || (typeof message === 'string' && /sender identity/i.test(message));
  });
}

function retryAfterMs(headers: unknown, status: number, now: number): number | undefined {
  const stated = parseRetryAfter(header(headers, 'retry-after'), now);
  if (stated !== undefined || status !== 429) return stated;
  // SendGrid's rate-limit answers carry X-RateLimit-Reset (unix seconds) rather than Retry-After.
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.min(Math.max(0, reset * 1000 - now), RATE_LIMIT_CAP_MS);
}

function httpHint(status: number, senderRefused: boolean, action: SendgridAction): HintFields {
  // A 401 is the key itself refused (wrong or revoked), at registration as at a send; only a 403 is a missing permission.
  if (action === 'register-webhook' && status === 403) {
    return hintOf(
      'sendgrid.webhookPermission',
      'The SendGrid API key lacks the Mail Settings / Event Webhook permission: give the key that permission, or paste the Event Webhook verification key by hand.',
    );
  }
  if (action === 'register-webhook' && status === 400) {
    return hintOf(
      'sendgrid.webhookRefused',
      "SendGrid refused the Event Webhook (its message says why). If the account already has as many Event Webhooks as its plan allows, delete one it no longer uses in SendGrid, or paste the verification key of a webhook that posts to Mailroom's URL.",
    );
  }
  if (status === 401)
    return hintOf(
      'sendgrid.keyRejected',
      'SendGrid rejected the API key: create a key with Mail Send permission in SendGrid (Settings > API Keys) and save it in the email settings.',
    );
  if (status === 403) {
    if (senderRefused)
      return hintOf(
        'sendgrid.senderNotVerified',
        'The From address is not a verified Sender Identity in SendGrid: verify it as a Single Sender, or authenticate its domain, in SendGrid.',
      );
    // A send's is retried (mayBeTemporaryBlock): its hint promises it.
    return action === 'send'
      ? hintPromisingRetry('sendgrid.forbidden', FORBIDDEN, 'Mailroom will try again.', { joiner: '; ' })
      : hintOf('sendgrid.forbidden', `${FORBIDDEN}.`);
  }
  if (status === 413)
    return hintOf('sendgrid.tooLarge', 'SendGrid: the attachment is too large. Keep the email with its attachments under 20 MB.');
  if (status === 400)
    return hintOf(
      'sendgrid.invalid',
      'SendGrid found the email invalid (its message says which field): check the addresses, subject and attachments.',
    );
  if (status === 404)
    return hintOf(
      'sendgrid.notFound',
      'SendGrid answered Not Found: the SendGrid API address Mailroom is configured with is probably wrong.',
    );
  return hintOf('sendgrid.refused', `SendGrid refused the request (HTTP ${status}).`, { status });
}

const FORBIDDEN =
  'SendGrid refused access: either the API key lacks the Mail Send permission (check it in SendGrid, Settings > API Keys), or SendGrid has blocked the account for a while';

/**
 * A send's 403 that is not about the sender: a key without the Mail Send permission, or a temporary
 * block of the account (contracts §1.1), which SendGrid's answer does not tell apart. The transport
 * then asks the key's scopes (sendgrid-scopes.ts): this classification stands when they cannot be
 * read. Retried on the normal backoff, and the platform is told at the first one (settings.failing
 * `provider_access_denied`).
 */
function mayBeTemporaryBlock(status: number, senderRefused: boolean, action: SendgridAction): boolean {
  return status === 403 && !senderRefused && action === 'send';
}

const ACTION_WORDS: Record<SendgridAction, string> = {
  send: 'SendGrid did not accept the email',
  'register-webhook': 'SendGrid did not register the Event Webhook',
  verify: 'SendGrid did not confirm the API key',
};

function fromHttp(status: number, headers: unknown, body: unknown, ctx: SendgridErrorContext): DeliveryError {
  const words = sendgridErrorWords(body);
  const senderRefused = status === 403 && sendgridRefusesTheSender(body);
  const retryable = isRetryableHttpStatus(status) || mayBeTemporaryBlock(status, senderRefused, ctx.action);
  return new DeliveryError(`${ACTION_WORDS[ctx.action]}: HTTP ${status}${words ? `: ${words}` : ''}`, {
    code: senderRefused ? SENDER_NOT_VERIFIED : `http_${status}`,
    retryable,
    responseCode: status,
    response: words,
    ...(status === 429
      ? temporaryHint('sendgrid.rateLimited', "SendGrid's rate limit for this account was reached", ctx.action, 'SendGrid', {
          promise: 'the email will be retried.',
        })
      : status >= 500
        ? temporaryHint('sendgrid.unavailable', 'SendGrid had a temporary problem', ctx.action, 'SendGrid', {
            promise: 'the email will be retried.',
          })
        : httpHint(status, senderRefused, ctx.action)),
    retryAfterMs: retryable ? retryAfterMs(headers, status, ctx.now ?? Date.now()) : undefined,
    ...(status === 429 ? { rateLimited: true } : {}),
  });
}

function fromNetwork(code: string | undefined, ctx: SendgridErrorContext): DeliveryError {
  if (code && AXIOS_CONFIG_CODES.has(code)) {
    return new DeliveryError(`${ACTION_WORDS[ctx.action]}: the request could not be made (${code})`, {
      code,
      retryable: false,
      ...hintOf('sendgrid.apiUrlUnusable', 'The SendGrid API address Mailroom is configured with is not usable.'),
    });
  }
  const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
  const known = code !== undefined && NETWORK_ERROR_CODES.has(code);
  return new DeliveryError(
    timedOut
      ? `${ACTION_WORDS[ctx.action]}: no answer within ${ctx.timeoutMs} ms`
      : `${ACTION_WORDS[ctx.action]}: could not reach SendGrid (${code ?? 'network error'})`,
    {
      code: timedOut ? 'ETIMEDOUT' : (code ?? 'ENETWORK'),
      retryable: true,
      ...(timedOut
        ? temporaryHint('sendgrid.timedOut', `SendGrid did not answer within ${ctx.timeoutMs} ms`, ctx.action, 'SendGrid', {
            promise: 'it will be retried.',
            params: { ms: ctx.timeoutMs },
          })
        : known
          ? temporaryHint('sendgrid.unreachable', 'SendGrid could not be reached', ctx.action, 'SendGrid', {
              promise: 'it will be retried.',
            })
          : temporaryHint('sendgrid.connectionFailed', 'The connection to SendGrid failed', ctx.action, 'SendGrid', {
              promise: 'it will be retried.',
            })),
    },
  );
}

export function classifySendgridError(error: unknown, ctx: SendgridErrorContext): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (isResponseError(error)) return fromHttp(error.code, error.response.headers, error.response.body, ctx);
  if (isAxiosError(error)) {
    if (error.response) return fromHttp(error.response.status, error.response.headers, error.response.data, ctx);
    return fromNetwork(error.code, ctx);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`${ACTION_WORDS[ctx.action]}: the SendGrid SDK refused the request: ${detail}`, {
    code: 'sdk_refused',
    retryable: false,
    ...hintOf('sendgrid.sdkRefused', 'The email could not be turned into a SendGrid request: check its addresses and attachments.'),
  });
}
