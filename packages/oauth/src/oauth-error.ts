import type { OAuthVendorName } from './oauth-vendors';

/**
 * A token endpoint that did not give us tokens, read into what should happen next. Decided by the
 * OAuth `error` code and the HTTP status (RFC 6749 §5.2), never by the description's words:
 * - `reconnect_required`: the grant is dead (`invalid_grant`: password changed, consent revoked,
 *   refresh token expired; Microsoft's `interaction_required`/`consent_required`/`login_required`:
 *   a sign-in policy wants the user back). Only a new consent helps: permanent.
 * - `client_rejected`: the vendor refused the platform's own app credentials (`invalid_client`,
 *   `unauthorized_client`: an expired client secret, say). Not the tenant's fault, and fixed by an
 *   operator without the tenant doing anything: retried, with a hint for the operator.
 * - `temporary`: 429, 408, 5xx, a timeout, the network, or an answer that is not a token answer
 *   (a proxy's error page): retried, honouring Retry-After.
 * - `refused`: any other 4xx (`invalid_request`, `invalid_scope`...): a bug or a changed contract,
 *   permanent so that it is seen.
 */
export type OAuthFailureKind = 'reconnect_required' | 'client_rejected' | 'temporary' | 'refused';

export interface OAuthErrorFields {
  kind: OAuthFailureKind;
  vendor?: OAuthVendorName;
  /** The HTTP status of the token endpoint's answer; absent when none came. */
  status?: number;
  /** The OAuth `error` code (`invalid_grant`...). */
  oauthError?: string;
  /** The first line of the vendor's `error_description`. */
  description?: string;
  retryAfterMs?: number;
}

export class OAuthError extends Error implements OAuthErrorFields {
  override readonly name = 'OAuthError';
  readonly kind: OAuthFailureKind;
  readonly vendor?: OAuthVendorName;
  readonly status?: number;
  readonly oauthError?: string;
  readonly description?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, fields: OAuthErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = fields.kind;
    this.vendor = fields.vendor;
    this.status = fields.status;
    this.oauthError = fields.oauthError;
    this.description = fields.description;
    this.retryAfterMs = fields.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind === 'temporary' || this.kind === 'client_rejected';
  }
}

export function isOAuthError(e: unknown): e is OAuthError {
  return e instanceof OAuthError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'OAuthError');
}

const GRANT_IS_DEAD = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required']);
const CLIENT_REJECTED = new Set(['invalid_client', 'unauthorized_client']);

/** The kind of failure an error answer from a token endpoint is (see OAuthFailureKind). */
export function failureKindOf(status: number, oauthError: string | undefined): OAuthFailureKind {
  if (status === 408 || status === 429 || status >= 500) return 'temporary';
  if (oauthError && GRANT_IS_DEAD.has(oauthError)) return 'reconnect_required';
  if (oauthError && CLIENT_REJECTED.has(oauthError)) return 'client_rejected';
  // A 4xx without an OAuth error body came from something in front of the vendor, not the vendor.
  if (!oauthError) return 'temporary';
  return 'refused';
}
