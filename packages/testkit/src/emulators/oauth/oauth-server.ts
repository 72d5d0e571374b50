import type { JsonWebKey } from 'node:crypto';
import type { Request } from 'express';
import { RunningEmulator, startHttpEmulator } from '../http-emulator';
import { IdTokenSigner } from './id-token-signer';
import { handleAuthorize } from './oauth-authorize-route';
import { FLAVOUR_ISSUERS, FLAVOUR_PATHS, FLAVOUR_SCOPES, OAuthFlavour, OAuthServerPaths } from './oauth-flavours';
import { AccessTokenOwner, OAuthGrantBook, OAuthTestUser } from './oauth-grant-book';
import type { OAuthServerBehaviour, OAuthServerContext, OAuthServerStats, OAuthTestClient } from './oauth-server-context';
import { handleToken } from './oauth-token-route';

export interface OAuthServerOptions {
  /** Which vendor to play: paths, issuer, scopes, token shapes, claims and error words follow. */
  flavour: OAuthFlavour;
  clients: OAuthTestClient[];
  /** Who is signed in and consents. */
  user: OAuthTestUser;
  issuer?: string;
  paths?: Partial<OAuthServerPaths>;
  /** Scopes it grants; default the vendor's that matter to Mailroom. */
  scopes?: string[];
  /** Claims added to (or replacing) the vendor's in every id token, e.g. `{ email_verified: false }`. */
  idTokenClaims?: Record<string, unknown>;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  /** Default: Microsoft rotates, Google does not. */
  rotateRefreshTokens?: boolean;
  retireRotatedRefreshTokens?: boolean;
  tls?: boolean;
  now?: () => number;
}

export interface OAuthServerEmulator extends RunningEmulator {
  flavour: OAuthFlavour;
  issuer: string;
  behaviour: OAuthServerBehaviour;
  stats: OAuthServerStats;
  /** Google: GOOGLE_OAUTH_AUTH_URL and GOOGLE_OAUTH_TOKEN_URL. Microsoft: MICROSOFT_OAUTH_LOGIN_URL (the base) too. */
  urls: { authorize: string; token: string; loginUrl: string; jwks: string };
  /** The id-token signing key, as the JWKS endpoint publishes it. */
  publicJwk: JsonWebKey;
  /** The mailbox a live access token belongs to (and its client and scopes); undefined if expired, revoked or unknown. With `scope`, the token must carry it. */
  isValidAccessToken(token: string, scope?: string): AccessTokenOwner | undefined;
  /** Whether the token was ever issued here (for "expired" vs "malformed" answers). */
  issuedAccessToken(token: string): boolean;
  /** Ends an access token's life now (the grant stays good, so a refresh works). */
  expireAccessToken(token: string): void;
  /** Revokes every grant of the user (default the signed-in one): its next refresh answers 400 invalid_grant; its access tokens die. */
  revokeGrant(email?: string): number;
  /**
   * Plays the admin's browser: opens the authorize URL, consents (or not, per `behaviour.consent`),
   * and returns the query the vendor redirected to the callback with. Throws on an error page.
   */
  consentTo(authorizeUrl: string): Promise<Record<string, string>>;
}

/** A local OAuth 2.0 / OpenID Connect authorization server that plays Google or Microsoft. */
export async function startOAuthServer(options: OAuthServerOptions): Promise<OAuthServerEmulator> {
  const now = options.now ?? Date.now;
  const paths = { ...FLAVOUR_PATHS[options.flavour], ...options.paths };
  const signer = new IdTokenSigner();
  const ctx: OAuthServerContext = {
    flavour: options.flavour,
    issuer: options.issuer ?? FLAVOUR_ISSUERS[options.flavour],
    clients: options.clients,
    scopes: new Set(options.scopes ?? FLAVOUR_SCOPES[options.flavour]),
    extraClaims: options.idTokenClaims ?? {},
    behaviour: {
      consent: 'grant',
      user: options.user,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
      codeTtlSeconds: options.codeTtlSeconds ?? 60,
      rotateRefreshTokens: options.rotateRefreshTokens ?? options.flavour === 'microsoft',
      retireRotatedRefreshTokens: options.retireRotatedRefreshTokens ?? false,
    },
    stats: { authorizations: 0, codeExchanges: 0, refreshes: 0, refusedRefreshes: 0 },
    book: new OAuthGrantBook(options.flavour, now),
    signer,
    now,
  };

  const emulator = await startHttpEmulator(
    (app) => {
      app.use((req, res, next) => {
        if (req.method === 'GET' && matches(paths.authorize, req)) return handleAuthorize(ctx, req, res);
        if (req.method === 'POST' && matches(paths.token, req)) return handleToken(ctx, req, res);
        if (req.method === 'GET' && matches(paths.jwks, req)) return void res.json(signer.jwks());
        next();
      });
    },
    { tls: options.tls },
  );

  const fill = (path: string) => emulator.url + path.replace('{authority}', 'common');
  return {
    ...emulator,
    flavour: options.flavour,
    issuer: ctx.issuer,
    behaviour: ctx.behaviour,
    stats: ctx.stats,
    urls: { authorize: fill(paths.authorize), token: fill(paths.token), loginUrl: emulator.url, jwks: fill(paths.jwks) },
    publicJwk: signer.publicJwk,
    isValidAccessToken: (token, scope) => ctx.book.ownerOf(token, scope),
    issuedAccessToken: (token) => ctx.book.knows(token),
    expireAccessToken: (token) => ctx.book.expireAccessToken(token),
    revokeGrant: (email) => ctx.book.revokeGrantsOf(email ?? ctx.behaviour.user.email),
    consentTo: async (authorizeUrl) => {
      const res = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`the authorize page answered ${res.status}: ${await res.text()}`);
      return Object.fromEntries(new URL(location).searchParams);
    },
  };
}

/** `{authority}` matches one path segment; everything else literally. */
function matches(pattern: string, req: Request): boolean {
  const want = pattern.split('/');
  const got = req.path.split('/');
  return want.length === got.length && want.every((w, i) => (w === '{authority}' ? /^[\w.-]+$/.test(got[i]) : w === got[i]));
}
