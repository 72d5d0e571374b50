import { DeliveryError } from '@mailroom/domain';
import type { OAuthError } from './oauth-error';
import type { OAuthVendorName } from './oauth-vendors';

/** The failure codes an OAuth problem gives an email (and the settings warning). */
export const OAUTH_FAILURE_CODES = {
  reconnect_required: 'oauth_reconnect_required',
  client_rejected: 'oauth_client_rejected',
  temporary: 'oauth_unavailable',
  refused: 'oauth_refused',
} as const;

const VENDOR_LABEL: Record<OAuthVendorName, string> = { google: 'Google', microsoft: 'Microsoft' };

export const OAUTH_HINTS = {
  reconnect: (vendor: OAuthVendorName | undefined) => {
    const who = vendor ? VENDOR_LABEL[vendor] : 'The mail provider';
    return `${who} no longer accepts Mailroom's access to this mailbox (the password was changed, the access was removed from the account, or a sign-in policy now asks to sign in again). Reconnect the mailbox${vendor ? ` with ${VENDOR_LABEL[vendor]}` : ''} in the email settings; emails will not be sent until then.`;
  },
  clientRejected: (vendor: OAuthVendorName | undefined) =>
    `${vendor ? VENDOR_LABEL[vendor] : 'The mail provider'} refused the platform's own OAuth app credentials (an expired or wrong client secret). The platform's operators must fix them; the email will be retried.`,
  temporary: 'The mail provider could not renew the mailbox access just now; the email will be retried.',
  refused: 'The mail provider refused to renew the mailbox access. If this persists, reconnect the mailbox in the email settings.',
} as const;

/** The hints above that promise a retry, as they read when nothing will retry (the last attempt, a test email). */
function withoutRetry(kind: OAuthError['kind'], vendor: OAuthVendorName | undefined): string | undefined {
  if (kind === 'temporary') return 'The mail provider could not renew the mailbox access just now.';
  if (kind === 'client_rejected')
    return `${vendor ? VENDOR_LABEL[vendor] : 'The mail provider'} refused the platform's own OAuth app credentials (an expired or wrong client secret). The platform's operators must fix them.`;
  return undefined;
}

/** The DeliveryError an OAuth failure gives an email: its kind decides the retry, its code the warning. */
export function oauthDeliveryError(error: OAuthError): DeliveryError {
  const code = OAUTH_FAILURE_CODES[error.kind];
  const response = error.oauthError ? [error.oauthError, error.description].filter(Boolean).join(': ') : error.description;
  const hint =
    error.kind === 'reconnect_required'
      ? OAUTH_HINTS.reconnect(error.vendor)
      : error.kind === 'client_rejected'
        ? OAUTH_HINTS.clientRejected(error.vendor)
        : error.kind === 'temporary'
          ? OAUTH_HINTS.temporary
          : OAUTH_HINTS.refused;
  return new DeliveryError(
    `Mailbox access could not be renewed: ${error.message}`,
    {
      code,
      retryable: error.retryable,
      responseCode: error.status,
      response,
      hint,
      hintWithoutRetry: withoutRetry(error.kind, error.vendor),
      retryAfterMs: error.retryAfterMs,
    },
    { cause: error },
  );
}
