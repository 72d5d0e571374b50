import type { OAuthVendor, OAuthVia } from './oauth-vendors';
import { scopesFor } from './oauth-vendors';

export interface AuthorizeRequest {
  via: OAuthVia;
  /** PUBLIC_BASE_URL + /oauth/callback: registered with the vendor, and sent again at the code exchange. */
  redirectUri: string;
  state: string;
  codeChallenge: string;
  /** Pre-fills the account picker (the tenant's current SMTP username, say). */
  loginHint?: string;
}

/** Where to send the tenant's admin to consent: the authorization-code flow with PKCE (S256). */
export function buildAuthorizeUrl(vendor: OAuthVendor, request: AuthorizeRequest): string {
  const url = new URL(vendor.authorizeUrl);
  const params: Record<string, string> = {
    client_id: vendor.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: scopesFor(vendor.name, request.via).join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    ...vendor.authorizeParams,
    ...(request.loginHint ? { login_hint: request.loginHint } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
