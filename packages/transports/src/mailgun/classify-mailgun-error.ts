import { DeliveryError, HintFields, hintOf } from '@mailroom/domain';
import { isRetryableHttpStatus, NETWORK_ERROR_CODES, parseRetryAfter } from '../http-failure';
import { temporaryHint } from '../temporary-hint';

/**
 * Turns what mailgun.js rejects with into a DeliveryError whose fields decide the retry (contracts §2.2).
 * Every failure is an `APIError {status, message, details, type: 'MailgunAPIError'}`:
 * - an HTTP answer: `status` is the HTTP status, `message` the status text, `details` Mailgun's words
 *   (`body.message`, or the text body: `Forbidden` for a 401);
 * - THE TRAP: no answer at all (refused, reset, timed out) is ALSO `status: 400`, with `message` an axios
 *   code (`ECONNREFUSED`, `ECONNABORTED`...) and `details` the error text. Those are retried; a real 400 is not.
 * 429 and 5xx are retried (Retry-After honoured when the caller captured it); 400/401/403/404/413 are not.
 */
export type MailgunAction = 'send' | 'register-webhook' | 'verify';

export interface MailgunErrorContext {
  action: MailgunAction;
  /** The sending domain, named in the 404 hint. */
  domain: string;
  timeoutMs: number;
  /** The `Retry-After` header of the answer, when it could be captured (the SDK drops headers). */
  retryAfter?: string | string[];
  /** Secrets that must never appear in what is reported (the API key). */
  secrets?: string[];
  now?: number;
}

export interface MailgunApiErrorShape {
  status: number;
  message: string;
  details?: unknown;
  type: 'MailgunAPIError';
}

export const MAILGUN_401_HINT = hintOf(
  'mailgun.keyRejected',
  'Mailgun answered 401: check the private key, and whether the domain is in the EU or US region',
);

/** axios codes that come with an HTTP answer (only seen when the status text is empty): not network trouble. */
const ANSWERED_CODES = new Set(['ERR_BAD_REQUEST', 'ERR_BAD_RESPONSE']);
/** axios refusals before a byte is sent: configuration mistakes. */
const CONFIG_CODES = new Set([
  'ERR_BAD_OPTION_VALUE',
  'ERR_BAD_OPTION',
  'ERR_INVALID_URL',
  'ERR_NOT_SUPPORT',
  'ERR_DEPRECATED',
  'ERR_FR_TOO_MANY_REDIRECTS',
]);
const ERROR_CODE = /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+)$/;

const ACTION_WORDS: Record<MailgunAction, string> = {
  send: 'Mailgun did not accept the email',
  'register-webhook': 'Mailgun did not register the webhooks',
  verify: 'Mailgun did not confirm the key and domain',
};

export function isMailgunApiError(e: unknown): e is MailgunApiErrorShape {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { type?: unknown }).type === 'MailgunAPIError' &&
    typeof (e as { status?: unknown }).status === 'number'
  );
}

/** The axios code of an APIError that stands for "no HTTP answer", else undefined. */
export function networkCodeOf(e: MailgunApiErrorShape): string | undefined {
  if (e.status !== 400 || !ERROR_CODE.test(e.message) || ANSWERED_CODES.has(e.message)) return undefined;
  return e.message;
}

function scrub(text: string | undefined, secrets: string[] = []): string | undefined {
  if (text === undefined) return undefined;
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}

function wordsOf(details: unknown): string | undefined {
  if (typeof details === 'string' && details.trim()) return details.trim().slice(0, 1000);
  if (details && typeof details === 'object') return JSON.stringify(details).slice(0, 1000);
  return undefined;
}

function httpHint(status: number, words: string | undefined, ctx: MailgunErrorContext): HintFields {
  const domain = ctx.domain;
  if (status === 401) return MAILGUN_401_HINT;
  if (status === 404)
    return hintOf(
      'mailgun.domainNotFound',
      `Mailgun answered 404: the domain ${domain} is not in this Mailgun account/region: check the sending domain, and whether it is in the EU or US region`,
      { domain },
    );
  if (status === 403) {
    return ctx.action === 'register-webhook'
      ? hintOf(
          'mailgun.webhookForbidden',
          "Mailgun answered 403: this key may not manage webhooks (a domain sending key can only send): use the account's private API key",
        )
      : hintOf(
          'mailgun.forbidden',
          `Mailgun answered 403: the key may not use the domain ${domain}, or the Mailgun account is disabled or still in sandbox`,
          { domain },
        );
  }
  if (status === 413)
    return hintOf('mailgun.tooLarge', 'Mailgun refused the email: message too large (Mailgun accepts at most 25 MB, attachments included)');
  if (status === 400) {
    const reason = words ?? 'no reason given';
    return hintOf('mailgun.invalid', `Mailgun refused the request as invalid: ${reason}`, { reason });
  }
  return hintOf('mailgun.refused', `Mailgun refused the request (HTTP ${status})`, { status });
}

function fromHttp(e: MailgunApiErrorShape, ctx: MailgunErrorContext): DeliveryError {
  const words = scrub(wordsOf(e.details), ctx.secrets);
  const retryable = isRetryableHttpStatus(e.status);
  return new DeliveryError(`${ACTION_WORDS[ctx.action]}: HTTP ${e.status}${words ? `: ${words}` : ''}`, {
    code: `http_${e.status}`,
    retryable,
    responseCode: e.status,
    response: words,
    ...(e.status === 429
      ? temporaryHint('mailgun.rateLimited', "Mailgun's rate limit for this account was reached", ctx.action, 'Mailgun')
      : e.status >= 500
        ? temporaryHint('mailgun.unavailable', 'Mailgun had a temporary problem', ctx.action, 'Mailgun')
        : retryable
          ? temporaryHint('mailgun.slow', 'Mailgun did not answer in time', ctx.action, 'Mailgun')
          : httpHint(e.status, words, ctx)),
    retryAfterMs: retryable ? parseRetryAfter(ctx.retryAfter, ctx.now ?? Date.now()) : undefined,
    ...(e.status === 429 ? { rateLimited: true } : {}),
  });
}

function fromNetwork(code: string, details: unknown, ctx: MailgunErrorContext): DeliveryError {
  const text = scrub(wordsOf(details), ctx.secrets);
  if (CONFIG_CODES.has(code)) {
    return new DeliveryError(`${ACTION_WORDS[ctx.action]}: the request could not be made (${code})`, {
      code,
      retryable: false,
      response: text,
      ...hintOf(
        'mailgun.apiUrlUnusable',
        'The Mailgun API address Mailroom is configured with is not usable (MAILGUN_API_URL_US / MAILGUN_API_URL_EU)',
      ),
    });
  }
  const timedOut = code === 'ETIMEDOUT' || (code === 'ECONNABORTED' && /timeout/i.test(text ?? ''));
  return new DeliveryError(
    timedOut
      ? `${ACTION_WORDS[ctx.action]}: no answer within ${ctx.timeoutMs} ms`
      : `${ACTION_WORDS[ctx.action]}: could not reach Mailgun (${code})`,
    {
      code: timedOut ? 'ETIMEDOUT' : code,
      retryable: true,
      response: text,
      ...(timedOut
        ? temporaryHint('mailgun.timedOut', `Mailgun did not answer within ${ctx.timeoutMs} ms`, ctx.action, 'Mailgun', {
            promise: 'it will be retried',
            params: { ms: ctx.timeoutMs },
          })
        : NETWORK_ERROR_CODES.has(code)
          ? temporaryHint('mailgun.unreachable', 'Mailgun could not be reached', ctx.action, 'Mailgun', { promise: 'it will be retried' })
          : temporaryHint('mailgun.connectionFailed', 'The connection to Mailgun failed', ctx.action, 'Mailgun', {
              promise: 'it will be retried',
            })),
    },
  );
}

export function classifyMailgunError(error: unknown, ctx: MailgunErrorContext): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (isMailgunApiError(error)) {
    const network = networkCodeOf(error);
    if (network) return fromNetwork(network, error.details, ctx);
    // The SDK's own answer to a URL that reaches Mailgun's root instead of the API ("Mailgun Magnificent API").
    if (error.status === 400 && error.message === 'Incorrect url') {
      return new DeliveryError(`${ACTION_WORDS[ctx.action]}: the API URL is wrong`, {
        code: 'mailgun_wrong_url',
        retryable: false,
        response: wordsOf(error.details),
        ...hintOf('mailgun.wrongUrl', 'The Mailgun API address Mailroom is configured with is wrong (it must not end in /v3)'),
      });
    }
    return fromHttp(error, ctx);
  }
  const detail = scrub(error instanceof Error ? error.message : String(error), ctx.secrets);
  return new DeliveryError(`${ACTION_WORDS[ctx.action]}: the Mailgun SDK refused the request: ${detail}`, {
    code: 'sdk_refused',
    retryable: false,
    ...hintOf('mailgun.sdkRefused', 'The request could not be turned into a Mailgun API call: check the addresses and attachments'),
  });
}
