import { randomUUID } from 'node:crypto';

/**
 * What differs between Google's and Microsoft's authorization servers, as far as Mailroom can see:
 * paths, issuer, scopes, token shapes, id-token claims, who issues refresh tokens, and the exact
 * words of their error answers (Google: a bare `{ error, error_description }`; Microsoft: the same
 * with `AADSTS` codes, `error_codes`, trace and correlation ids).
 */
export type OAuthFlavour = 'google' | 'microsoft';

export interface OAuthServerPaths {
  /** `{authority}` matches one path segment (Microsoft's `common`, `organizations` or a tenant id). */
  authorize: string;
  token: string;
  jwks: string;
}

export const FLAVOUR_PATHS: Record<OAuthFlavour, OAuthServerPaths> = {
  google: { authorize: '/o/oauth2/v2/auth', token: '/token', jwks: '/oauth2/v3/certs' },
  microsoft: {
    authorize: '/{authority}/oauth2/v2.0/authorize',
    token: '/{authority}/oauth2/v2.0/token',
    jwks: '/{authority}/discovery/v2.0/keys',
  },
};

/** Microsoft's directory id for the test organisation (issuer and `tid`). */
export const TEST_MICROSOFT_TENANT_ID = '5c3d9a84-2b1e-4f7a-9d6c-0e8f1a2b3c4d';

export const FLAVOUR_ISSUERS: Record<OAuthFlavour, string> = {
  google: 'https://accounts.google.com',
  microsoft: `https://login.microsoftonline.com/${TEST_MICROSOFT_TENANT_ID}/v2.0`,
};

/** The OpenID scopes, which name no resource. */
export const OIDC_SCOPES = new Set(['openid', 'email', 'profile', 'offline_access']);

export const FLAVOUR_SCOPES: Record<OAuthFlavour, string[]> = {
  google: ['openid', 'email', 'profile', 'https://mail.google.com/'],
  microsoft: [
    'openid',
    'email',
    'profile',
    'offline_access',
    'https://outlook.office.com/SMTP.Send',
    'https://outlook.office.com/IMAP.AccessAsUser.All',
    'https://graph.microsoft.com/Mail.Send',
    'https://graph.microsoft.com/User.Read',
  ],
};

/** The resource a scope is for (`https://graph.microsoft.com`), or undefined for an OpenID scope. */
export function resourceOf(scope: string): string | undefined {
  if (OIDC_SCOPES.has(scope)) return undefined;
  const m = /^(https:\/\/[^/]+)\//.exec(scope);
  return m ? m[1] : scope;
}

/** Each situation the token endpoint refuses, with the words each vendor uses. */
export type TokenRefusal =
  | 'client_unknown'
  | 'client_secret_wrong'
  | 'code_unknown'
  | 'code_expired'
  | 'code_used'
  | 'redirect_uri_mismatch'
  | 'pkce_mismatch'
  | 'refresh_token_dead'
  | 'scope_not_granted'
  | 'several_resources'
  | 'grant_type_unsupported'
  | 'request_invalid';

interface Refusal {
  status: number;
  error: string;
  description: string;
  /** Microsoft's AADSTS number. */
  aadsts?: number;
}

const GOOGLE: Record<TokenRefusal, Refusal> = {
  client_unknown: { status: 401, error: 'invalid_client', description: 'The OAuth client was not found.' },
  client_secret_wrong: { status: 401, error: 'invalid_client', description: 'Unauthorized' },
  code_unknown: { status: 400, error: 'invalid_grant', description: 'Malformed auth code.' },
  code_expired: { status: 400, error: 'invalid_grant', description: 'Bad Request' },
  code_used: { status: 400, error: 'invalid_grant', description: 'Bad Request' },
  redirect_uri_mismatch: { status: 400, error: 'redirect_uri_mismatch', description: 'Bad Request' },
  pkce_mismatch: { status: 400, error: 'invalid_grant', description: 'Invalid code verifier.' },
  refresh_token_dead: { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' },
  scope_not_granted: { status: 400, error: 'invalid_scope', description: 'Some requested scopes were invalid.' },
  several_resources: { status: 400, error: 'invalid_scope', description: 'Some requested scopes were invalid.' },
  grant_type_unsupported: { status: 400, error: 'unsupported_grant_type', description: 'Invalid grant_type: ' },
  request_invalid: { status: 400, error: 'invalid_request', description: 'Missing required parameter: ' },
};

const MICROSOFT: Record<TokenRefusal, Refusal> = {
  client_unknown: {
    status: 400,
    error: 'unauthorized_client',
    aadsts: 700016,
    description:
      'Application with identifier was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.',
  },
  client_secret_wrong: {
    status: 401,
    error: 'invalid_client',
    aadsts: 7000215,
    description:
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.',
  },
  code_unknown: { status: 400, error: 'invalid_grant', aadsts: 9002313, description: 'Invalid request. Request is malformed or invalid.' },
  code_expired: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 70008,
    description:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  },
  code_used: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 54005,
    description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  },
  redirect_uri_mismatch: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 500112,
    description: 'The reply address does not match the reply address provided when requesting Authorization code.',
  },
  pkce_mismatch: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 501481,
    description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
  },
  refresh_token_dead: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 70000,
    description:
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
  },
  scope_not_granted: {
    status: 400,
    error: 'invalid_grant',
    aadsts: 65001,
    description:
      'The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.',
  },
  several_resources: {
    status: 400,
    error: 'invalid_scope',
    aadsts: 28000,
    description: 'Provided value for the input parameter scope is not valid because it contains more than one resource.',
  },
  grant_type_unsupported: {
    status: 400,
    error: 'unsupported_grant_type',
    aadsts: 70003,
    description: 'The app requested an unsupported grant type.',
  },
  request_invalid: {
    status: 400,
    error: 'invalid_request',
    aadsts: 900144,
    description: 'The request body must contain the following parameter: ',
  },
};

/** The status and JSON body a vendor answers a refused token request with. */
export function tokenRefusal(flavour: OAuthFlavour, why: TokenRefusal, detail = ''): { status: number; body: Record<string, unknown> } {
  const r = (flavour === 'google' ? GOOGLE : MICROSOFT)[why];
  const description = r.description + detail;
  if (flavour === 'google') return { status: r.status, body: { error: r.error, error_description: description } };
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status: r.status,
    body: {
      error: r.error,
      error_description: `AADSTS${r.aadsts}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [r.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${r.aadsts}`,
    },
  };
}
