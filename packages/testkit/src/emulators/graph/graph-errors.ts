import { randomUUID } from 'node:crypto';

/**
 * Microsoft Graph's error answers for sendMail, as documented (learn.microsoft.com/graph/errors) and
 * as seen in public reports: `{ error: { code, message, innerError: { date, request-id,
 * client-request-id } } }`, the code deciding, the message for people.
 */
export interface GraphErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; innerError: Record<string, string> } };
  headers?: Record<string, string>;
}

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): GraphErrorAnswer {
  const requestId = randomUUID();
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': requestId },
      },
    },
    headers,
  };
}

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export const GRAPH_ERRORS = {
  tokenMissing: () => graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': WWW_AUTHENTICATE }),
  tokenExpired: () =>
    graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', {
      'www-authenticate': WWW_AUTHENTICATE,
    }),
  tokenInvalid: () =>
    graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', {
      'www-authenticate': WWW_AUTHENTICATE,
    }),
  accessDenied: () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
  sendAsDenied: () =>
    graphError(
      403,
      'ErrorSendAsDenied',
      'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.',
    ),
  notBase64: () => graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.'),
  notMime: () => graphError(400, 'ErrorMimeContentInvalid', 'The MIME content is invalid.'),
  noRecipients: () =>
    graphError(
      400,
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
    ),
  notMimeRequest: () =>
    graphError(400, 'ErrorInvalidRequest', 'This emulator takes the MIME form only: Content-Type: text/plain with the base64 message.'),
  // The 4 MB request limit: the status is 413 in public reports; the body words vary between reports.
  tooLarge: () => graphError(413, 'BadRequest', 'The maximum request length supported is 4MB.'),
  throttled: (retryAfterSeconds: number) =>
    graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
      'retry-after': String(retryAfterSeconds),
      'ratelimit-exceeded': 'MailboxConcurrency',
    }),
  unavailable: (retryAfterSeconds: number) =>
    graphError(503, 'ServiceUnavailable', 'Service Unavailable', { 'retry-after': String(retryAfterSeconds) }),
};
