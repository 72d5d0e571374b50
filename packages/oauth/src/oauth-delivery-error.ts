import { DeliveryError, HintFields, hintOf, hintPromisingRetry } from '@mailroom/domain';
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

const who = (vendor: OAuthVendorName | undefined) => (vendor ? VENDOR_LABEL[vendor] : 'The mail provider');

export const OAUTH_HINTS = {
  reconnect: (vendor: OAuthVendorName | undefined) => {
    const text = `${who(vendor)} no longer accepts Mailroom's access to this mailbox (the password was changed, the access was removed from the account, or a sign-in policy now asks to sign in again). Reconnect the mailbox${vendor ? ` with ${VENDOR_LABEL[vendor]}` : ''} in the email settings; emails will not be sent until then.`;
    return vendor ? hintOf('oauth.reconnectVendor', text, { vendor: VENDOR_LABEL[vendor] }) : hintOf('oauth.reconnect', text);
  },
  refused: hintOf(
    'oauth.refused',
    'The mail provider refused to renew the mailbox access. If this persists, reconnect the mailbox in the email settings.',
  ),
} as const;

/** The hints of the kinds that are retried: each promises the retry, and reads without it when nothing will retry. */
export const OAUTH_RETRIED_HINTS = {
  clientRejected: (vendor: OAuthVendorName | undefined) =>
    hintPromisingRetry(
      vendor ? 'oauth.clientRejectedVendor' : 'oauth.clientRejected',
      `${who(vendor)} refused the platform's own OAuth app credentials (an expired or wrong client secret). The platform's operators must fix them`,
      'the email will be retried.',
      { joiner: '; ', ...(vendor ? { params: { vendor: VENDOR_LABEL[vendor] } } : {}) },
    ),
  temporary: hintPromisingRetry(
    'oauth.temporary',
    'The mail provider could not renew the mailbox access just now',
    'the email will be retried.',
    { joiner: '; ' },
  ),
} as const;

function hintOfError(error: OAuthError): HintFields {
  if (error.kind === 'reconnect_required') return OAUTH_HINTS.reconnect(error.vendor);
  if (error.kind === 'client_rejected') return OAUTH_RETRIED_HINTS.clientRejected(error.vendor);
  if (error.kind === 'temporary') return OAUTH_RETRIED_HINTS.temporary;
  return OAUTH_HINTS.refused;
}

/** The DeliveryError an OAuth failure gives an email: its kind decides the retry, its code the warning. */
export function oauthDeliveryError(error: OAuthError): DeliveryError {
  const code = OAUTH_FAILURE_CODES[error.kind];
  const response = error.oauthError ? [error.oauthError, error.description].filter(Boolean).join(': ') : error.description;
  return new DeliveryError(
    `Mailbox access could not be renewed: ${error.message}`,
    {
      code,
      retryable: error.retryable,
      responseCode: error.status,
      response,
      ...hintOfError(error),
      retryAfterMs: error.retryAfterMs,
    },
    { cause: error },
  );
}
