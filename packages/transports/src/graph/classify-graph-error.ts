import { DeliveryError, HintFields, hintOf, hintPromisingRetry } from '@mailroom/domain';
import { isRetryableHttpStatus, parseRetryAfter } from '../http-failure';

/** A Graph answer that was not 202. */
export interface GraphAnswer {
  status: number;
  retryAfter?: string | null;
  requestId?: string | null;
  body: string;
}

export const GRAPH_HINTS = {
  tokenRefused: hintOf(
    'graph.tokenRefused',
    'Microsoft Graph refused the access token even after it was renewed. Reconnect the mailbox with Microsoft (choosing Microsoft Graph) in the email settings.',
  ),
  accessDenied: hintOf(
    'graph.accessDenied',
    'Microsoft 365 did not allow this app to send as the mailbox (the "Send mail as you" permission, Mail.Send, is missing or an administrator blocked it). Reconnect the mailbox choosing Microsoft Graph and accept the permission, or ask an administrator to allow it.',
  ),
  sendAsDenied: hintOf(
    'graph.sendAsDenied',
    'Microsoft 365 refused the From address: with Microsoft Graph the email must come from the connected mailbox (or an address it has Send As permission for).',
  ),
  recipients: hintOf('graph.recipients', 'Microsoft 365 found no valid recipient in the email: check the addresses for typos.'),
  tooLarge: hintOf(
    'graph.tooLarge',
    'The email is larger than Microsoft Graph accepts in one request (4 MB, attachments included, after encoding): send fewer or smaller attachments, or connect through SMTP.',
  ),
  invalid: hintOf('graph.invalid', 'Microsoft Graph refused the message as invalid; its words say why.'),
} as const;

/** The hints of temporary failures: each promises the retry, and reads without it when nothing will retry. */
export const GRAPH_RETRIED_HINTS = {
  throttled: hintPromisingRetry(
    'graph.throttled',
    'Microsoft 365 is limiting how fast this mailbox may send',
    'the email will be retried.',
  ),
  unavailable: hintPromisingRetry('graph.unavailable', 'Microsoft Graph had a temporary problem', 'the email will be retried.'),
} as const;

/** Graph's `{ error: { code, message } }`, if that is what the body is. */
export function graphErrorOf(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const e = parsed?.error;
    return { code: typeof e?.code === 'string' ? e.code : undefined, message: typeof e?.message === 'string' ? e.message : undefined };
  } catch {
    return {};
  }
}

/**
 * A refused sendMail as a DeliveryError whose fields decide the retry (decided by the HTTP status,
 * and for the hint by Graph's error code, never by its message): 429, 408 and 5xx are retried
 * (Retry-After honoured); a 401 that survived a token refresh, 403, 400 and 413 are permanent.
 */
export function classifyGraphAnswer(answer: GraphAnswer, now = Date.now()): DeliveryError {
  const { code, message } = graphErrorOf(answer.body);
  const retryable = isRetryableHttpStatus(answer.status);
  const words = code ? `${code}: ${message ?? ''}`.trim() : answer.body.trim().slice(0, 300) || undefined;
  return new DeliveryError(
    `Microsoft Graph did not accept the email: HTTP ${answer.status}${words ? ` ${words}` : ''}${answer.requestId ? ` (request-id ${answer.requestId})` : ''}`,
    {
      code: `http_${answer.status}`,
      retryable,
      responseCode: answer.status,
      response: words,
      ...hintFor(answer.status, code),
      retryAfterMs: retryable ? parseRetryAfter(answer.retryAfter, now) : undefined,
    },
  );
}

function hintFor(status: number, code: string | undefined): HintFields {
  if (status === 401) return GRAPH_HINTS.tokenRefused;
  if (status === 403) return code === 'ErrorSendAsDenied' ? GRAPH_HINTS.sendAsDenied : GRAPH_HINTS.accessDenied;
  if (status === 413) return GRAPH_HINTS.tooLarge;
  if (status === 429) return GRAPH_RETRIED_HINTS.throttled;
  if (status >= 500 || status === 408) return GRAPH_RETRIED_HINTS.unavailable;
  if (code === 'ErrorInvalidRecipients') return GRAPH_HINTS.recipients;
  return GRAPH_HINTS.invalid;
}
