import type { Request, Response } from 'express';
import { resourceOf } from './oauth-flavours';
import type { OAuthServerContext } from './oauth-server-context';

/**
 * GET authorize: checks the request as the vendors do, "shows" the consent screen to the configured
 * user, who accepts or refuses at once, and redirects back. A wrong client or redirect URI is
 * answered with an error page (RFC 6749 §4.1.2.1: never redirect to an unverified URI); anything
 * else wrong is redirected back with `error`. This emulator insists on PKCE with S256 and on a
 * state (the vendors accept less; Mailroom must never send less).
 */
export function handleAuthorize(ctx: OAuthServerContext, req: Request, res: Response): void {
  const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
  const clientId = q('client_id');
  const client = ctx.clients.find((c) => c.clientId === clientId);
  if (!client)
    return errorPage(
      res,
      ctx.flavour === 'google' ? 401 : 400,
      ctx.flavour === 'google'
        ? 'Error 401: invalid_client'
        : `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
    );
  const redirectUri = q('redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return errorPage(
      res,
      400,
      ctx.flavour === 'google'
        ? 'Error 400: redirect_uri_mismatch'
        : `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  const state = q('state');
  const back = (params: Record<string, string | undefined>) => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries({ ...params, state })) if (v !== undefined) url.searchParams.set(k, v);
    res.redirect(302, url.toString());
  };
  const refuse = (error: string, description: string) => back({ error, error_description: description });

  if (q('response_type') !== 'code') return refuse('unsupported_response_type', 'response_type must be "code"');
  const scopes = (q('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) return refuse('invalid_scope', 'scope is required');
  const unknown = scopes.filter((s) => !ctx.scopes.has(s));
  if (unknown.length > 0) return refuse('invalid_scope', `unknown scope(s): ${unknown.join(' ')}`);
  if (!state) return refuse('invalid_request', 'state is required');
  const codeChallenge = q('code_challenge');
  if (!codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
    return refuse('invalid_request', 'code_challenge is required (43 base64url characters)');
  if (q('code_challenge_method') !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256');

  ctx.stats.authorizations += 1;
  if (ctx.behaviour.consent === 'deny') {
    return ctx.flavour === 'google'
      ? back({ error: 'access_denied' })
      : refuse('access_denied', 'AADSTS65004: User declined to consent to access the app.');
  }
  const user = ctx.behaviour.user;
  const issueRefreshToken =
    ctx.flavour === 'google'
      ? q('access_type') === 'offline' &&
        (!ctx.book.hasConsented(client.clientId, user.email) || (q('prompt') ?? '').split(' ').includes('consent'))
      : scopes.includes('offline_access');
  const code = ctx.book.issueCode({
    clientId: client.clientId,
    redirectUri,
    scopes,
    codeChallenge,
    user,
    nonce: q('nonce'),
    issueRefreshToken,
    expiresAt: ctx.now() + ctx.behaviour.codeTtlSeconds * 1000,
  });
  if (ctx.flavour === 'google')
    back({ code, scope: scopes.filter((s) => resourceOf(s) || s === 'openid').join(' '), authuser: '0', prompt: 'consent' });
  else back({ code, session_state: '0f4a3c2b-7d6e-4a1b-9c8d-112233445566' });
}

function errorPage(res: Response, status: number, words: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><title>Sign in - Error</title><p>${words.replace(/[<>&]/g, '')}</p>`);
}
