import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { rawBodyOf } from '../http-emulator';
import { resourceOf, tokenRefusal, TokenRefusal } from './oauth-flavours';
import { Grant, GrantRefusal } from './oauth-grant-book';
import type { OAuthServerContext, OAuthTestClient } from './oauth-server-context';

/**
 * POST token: `authorization_code` (client secret, redirect URI, PKCE verifier; the code once) and
 * `refresh_token` (a new access token; a new refresh token when rotating). Client secret in the
 * form (client_secret_post) or in Basic auth (client_secret_basic). Answers as the vendor does,
 * refusals included (oauth-flavours.ts).
 */
export function handleToken(ctx: OAuthServerContext, req: Request, res: Response): void {
  const refuse = (why: TokenRefusal, detail = '') => {
    const { status, body } = tokenRefusal(ctx.flavour, why, detail);
    res.status(status).set('cache-control', 'no-store').json(body);
  };
  if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) return refuse('request_invalid', 'grant_type');
  const form = new URLSearchParams(rawBodyOf(req).toString('utf8'));
  const grantType = form.get('grant_type');
  if (grantType === 'refresh_token') ctx.stats.refreshes += 1;
  if (grantType === 'authorization_code') ctx.stats.codeExchanges += 1;

  const client = authenticateClient(ctx, req, form);
  if (typeof client === 'string') {
    if (grantType === 'refresh_token') ctx.stats.refusedRefreshes += 1;
    return refuse(client);
  }
  try {
    if (grantType === 'authorization_code') return exchangeCode(ctx, res, client, form);
    if (grantType === 'refresh_token') return refresh(ctx, res, client, form);
    if (!grantType) return refuse('request_invalid', 'grant_type');
    return refuse('grant_type_unsupported', grantType);
  } catch (e) {
    if (!(e instanceof GrantRefusal)) throw e;
    if (grantType === 'refresh_token') ctx.stats.refusedRefreshes += 1;
    return refuse(e.why, e.detail);
  }
}

function authenticateClient(ctx: OAuthServerContext, req: Request, form: URLSearchParams): OAuthTestClient | TokenRefusal {
  let id = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [user, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    id = decodeURIComponent(user);
    secret = decodeURIComponent(rest.join(':'));
  }
  const client = ctx.clients.find((c) => c.clientId === id);
  if (!client) return 'client_unknown';
  if (secret !== client.clientSecret) return 'client_secret_wrong';
  return client;
}

function exchangeCode(ctx: OAuthServerContext, res: Response, client: OAuthTestClient, form: URLSearchParams): void {
  const code = form.get('code');
  if (!code) throw new GrantRefusal('request_invalid', 'code');
  const { grant, issueRefreshToken } = ctx.book.redeemCode({
    code,
    clientId: client.clientId,
    redirectUri: form.get('redirect_uri') ?? undefined,
    codeVerifier: form.get('code_verifier') ?? undefined,
  });
  // Microsoft: one token is for one resource.
  if (ctx.flavour === 'microsoft' && new Set(grant.scopes.map(resourceOf).filter(Boolean)).size > 1)
    throw new GrantRefusal('several_resources');
  answerTokens(ctx, res, grant, grant.scopes, issueRefreshToken ? ctx.book.issueRefreshToken(grant) : undefined);
}

function refresh(ctx: OAuthServerContext, res: Response, client: OAuthTestClient, form: URLSearchParams): void {
  const presented = form.get('refresh_token');
  if (!presented) throw new GrantRefusal('request_invalid', 'refresh_token');
  const grant = ctx.book.grantOfRefreshToken(presented, client.clientId);
  const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const notGranted = asked.filter((s) => !grant.scopes.includes(s));
  if (notGranted.length > 0) throw new GrantRefusal('scope_not_granted');
  const scopes = asked.length > 0 ? asked : grant.scopes;
  let refreshToken: string | undefined;
  if (ctx.behaviour.rotateRefreshTokens) {
    refreshToken = ctx.book.issueRefreshToken(grant);
    if (ctx.behaviour.retireRotatedRefreshTokens) ctx.book.retireRefreshToken(presented);
  }
  answerTokens(ctx, res, grant, scopes, refreshToken);
}

function answerTokens(ctx: OAuthServerContext, res: Response, grant: Grant, scopes: string[], refreshToken: string | undefined): void {
  const ttl = ctx.behaviour.accessTokenTtlSeconds;
  const accessToken = ctx.book.issueAccessToken(grant, scopes, ttl);
  const body: Record<string, unknown> = { token_type: 'Bearer', scope: scopes.join(' '), expires_in: ttl };
  if (ctx.flavour === 'microsoft') body.ext_expires_in = ttl;
  body.access_token = accessToken;
  if (refreshToken) body.refresh_token = refreshToken;
  if (scopes.includes('openid')) body.id_token = idToken(ctx, grant, scopes);
  res.status(200).set('cache-control', 'no-store').set('pragma', 'no-cache').json(body);
}

function idToken(ctx: OAuthServerContext, grant: Grant, scopes: string[]): string {
  const iat = Math.floor(ctx.now() / 1000);
  const common = {
    iss: ctx.issuer,
    aud: grant.clientId,
    sub: grant.subject,
    iat,
    exp: iat + 3600,
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  };
  const user = grant.user;
  if (ctx.flavour === 'google') {
    return ctx.signer.sign({
      ...common,
      azp: grant.clientId,
      ...(scopes.includes('email') ? { email: user.email, email_verified: true } : {}),
      ...(user.name ? { name: user.name } : {}),
      ...ctx.extraClaims,
    });
  }
  const tid = /\/([0-9a-f-]{36})\/v2\.0$/.exec(ctx.issuer)?.[1] ?? '9188040d-6c67-4c5b-b112-36a304b66dad';
  return ctx.signer.sign({
    ver: '2.0',
    ...common,
    nbf: iat,
    tid,
    oid: uuidOf(grant.subject),
    name: user.name ?? user.email,
    preferred_username: user.userPrincipalName ?? user.email,
    ...(scopes.includes('email') && user.emailClaim !== false ? { email: user.email } : {}),
    ...ctx.extraClaims,
  });
}

/** A stable UUID-shaped object id for a subject (Microsoft's `oid`). */
function uuidOf(subject: string): string {
  const h = createHash('sha256').update(subject).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
