import { DeliveryError, hintOf, hintPromisingRetry, MISSING_SCOPE } from '@mailroom/domain';
import type { Client } from '@sendgrid/client';

/** The permission a key needs to send (SendGrid's scope name). */
export const MAIL_SEND_SCOPE = 'mail.send';

/**
 * The scopes of the key that calls (`GET /v3/scopes`, bounded by the client's timeout); undefined when
 * SendGrid answered without a list. Rejects with the SDK's own error (never attach it: an AxiosError
 * carries the Authorization header).
 */
export async function readSendgridScopes(client: Client): Promise<string[] | undefined> {
  const [, body] = await client.request({ method: 'GET', url: '/v3/scopes' });
  const scopes = (body as { scopes?: unknown } | undefined)?.scopes;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : undefined;
}

/** What the key's scopes say of a send's 403 not about the sender. */
export type ForbiddenSendCause = 'key-lacks-mail-send' | 'account-blocked' | 'unknown';

/**
 * A send's 403 not about the sender is a key without Mail Send or a block of the account, and its
 * answer does not tell them apart (decision 0057): the key's scopes do, asked once. Unreadable scopes
 * (no answer, 401, 5xx, a timeout, no list) leave it `unknown`.
 */
export async function causeOfForbiddenSend(client: Client): Promise<ForbiddenSendCause> {
  let scopes: string[] | undefined;
  try {
    scopes = await readSendgridScopes(client);
  } catch {
    return 'unknown';
  }
  if (scopes === undefined) return 'unknown';
  return scopes.includes(MAIL_SEND_SCOPE) ? 'account-blocked' : 'key-lacks-mail-send';
}

const MISSING_SCOPE_HINT =
  'The SendGrid API key lacks Mail Send permission: create a key with Mail Send permission and save it in the email settings.';

/** The key lacks Mail Send: permanent, whether found by the key check or after a send's 403. */
export function missingScopeError(message: string, fields: { responseCode?: number; response?: string }): DeliveryError {
  return new DeliveryError(message, {
    code: MISSING_SCOPE,
    retryable: false,
    ...fields,
    ...hintOf('sendgrid.missingScope', MISSING_SCOPE_HINT),
  });
}

const BLOCKED =
  "SendGrid refused access though the API key has the Mail Send permission: SendGrid has blocked the account, perhaps for a while (check the account's status in SendGrid)";

/**
 * The send's retryable 403 (`forbidden`, from classifySendgridError) once its cause is known: a key
 * without Mail Send fails for good (`missing_scope`); a block stays retried, with words that say so;
 * an unknown cause keeps the 403 as it was (`sendgrid.forbidden`, either of the two).
 */
export function explainForbiddenSend(forbidden: DeliveryError, cause: ForbiddenSendCause): DeliveryError {
  const said = { responseCode: forbidden.responseCode, response: forbidden.response };
  if (cause === 'key-lacks-mail-send') return missingScopeError(`${forbidden.message}: the API key lacks the Mail Send permission`, said);
  if (cause === 'account-blocked')
    return new DeliveryError(`${forbidden.message}: the API key has the Mail Send permission, so the account is blocked`, {
      code: forbidden.code,
      retryable: true,
      ...said,
      ...hintPromisingRetry('sendgrid.blocked', BLOCKED, 'Mailroom will try again.', { joiner: '; ' }),
      retryAfterMs: forbidden.retryAfterMs,
    });
  return forbidden;
}

/** The one SendGrid failure whose cause the scopes tell: a send's 403 not about the sender, retried (decision 0057). */
export function isForbiddenSend(failure: DeliveryError): boolean {
  return failure.code === 'http_403' && failure.retryable;
}
