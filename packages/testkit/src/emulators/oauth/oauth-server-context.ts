import type { IdTokenSigner } from './id-token-signer';
import type { OAuthFlavour } from './oauth-flavours';
import type { OAuthGrantBook, OAuthTestUser } from './oauth-grant-book';

/** An OAuth app registered at the emulated vendor. */
export interface OAuthTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** What the emulated vendor does, changeable while it runs (`server.behaviour.consent = 'deny'`). */
export interface OAuthServerBehaviour {
  /** Whether the signed-in user accepts the consent screen (`deny` redirects with error=access_denied). */
  consent: 'grant' | 'deny';
  /** The user who is signed in at the vendor and consents. */
  user: OAuthTestUser;
  /** Lifetime of new access tokens (`expires_in`); default 3599 as both vendors say. */
  accessTokenTtlSeconds: number;
  /** Lifetime of authorization codes. */
  codeTtlSeconds: number;
  /** A refresh answers a new refresh token (Microsoft does; Google does not). */
  rotateRefreshTokens: boolean;
  /** A rotated-out refresh token stops working (stricter than Microsoft, which keeps it valid a while). */
  retireRotatedRefreshTokens: boolean;
}

export interface OAuthServerStats {
  /** Consent screens passed (granted or denied). */
  authorizations: number;
  /** Token requests with grant_type=authorization_code (successful or not). */
  codeExchanges: number;
  /** Token requests with grant_type=refresh_token (successful or not). */
  refreshes: number;
  /** Of those, how many were refused. */
  refusedRefreshes: number;
}

export interface OAuthServerContext {
  flavour: OAuthFlavour;
  issuer: string;
  clients: OAuthTestClient[];
  scopes: Set<string>;
  /** Added to (or replacing) the vendor's claims in every id token. */
  extraClaims: Record<string, unknown>;
  behaviour: OAuthServerBehaviour;
  stats: OAuthServerStats;
  book: OAuthGrantBook;
  signer: IdTokenSigner;
  now: () => number;
}
