import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { OAuthServerEmulator, startOAuthServer } from './oauth-server';

const CLIENT = { clientId: 'mailroom-test-client', clientSecret: 'client-secret-1', redirectUris: ['http://127.0.0.1:9/oauth/callback'] };
const REDIRECT = CLIENT.redirectUris[0];
const GOOGLE_SCOPE = 'openid email https://mail.google.com/';
const MS_SCOPE = 'openid email offline_access https://outlook.office.com/SMTP.Send';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(server: OAuthServerEmulator, params: Record<string, string | undefined>) {
  const url = new URL(server.urls.authorize);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined, text: location ? '' : await res.text() };
}

async function consent(server: OAuthServerEmulator, scope: string, extra: Record<string, string> = {}) {
  const p = pkce();
  const { location } = await authorize(server, {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope,
    state: 'st-1',
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return { code: location!.searchParams.get('code')!, verifier: p.verifier, location: location! };
}

async function token(server: OAuthServerEmulator, form: Record<string, string>) {
  const res = await fetch(server.urls.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const exchange = (server: OAuthServerEmulator, code: string, verifier: string, over: Record<string, string> = {}) =>
  token(server, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...over,
  });
const refresh = (server: OAuthServerEmulator, refreshToken: string, over: Record<string, string> = {}) =>
  token(server, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...over,
  });

function claimsOf(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('OAuth server emulator playing Google', () => {
  let google: OAuthServerEmulator;
  beforeEach(async () => {
    google = await startOAuthServer({ flavour: 'google', clients: [CLIENT], user: { email: 'facturas@acme.test', name: 'Acme' } });
  });
  afterEach(() => google.close());

  it('consents, redirects with code and state, and trades the code (with the PKCE verifier) for tokens once', async () => {
    const { code, verifier, location } = await consent(google, GOOGLE_SCOPE, { access_type: 'offline', prompt: 'consent' });
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');

    const first = await exchange(google, code, verifier);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: GOOGLE_SCOPE });
    expect(first.body.access_token).toMatch(/^ya29\./);
    expect(first.body.refresh_token).toMatch(/^1\/\//);
    expect(google.isValidAccessToken(first.body.access_token, 'https://mail.google.com/')).toEqual({
      email: 'facturas@acme.test',
      clientId: CLIENT.clientId,
      scopes: GOOGLE_SCOPE.split(' '),
    });
    expect(google.isValidAccessToken(first.body.access_token, 'https://graph.microsoft.com/Mail.Send')).toBeUndefined();

    const again = await exchange(google, code, verifier);
    expect(again).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } });
    expect(google.stats.codeExchanges).toBe(2);
  });

  it('signs the id token RS256 with the key its JWKS publishes, with email, iss, aud and exp', async () => {
    const { code, verifier } = await consent(google, GOOGLE_SCOPE, { access_type: 'offline' });
    const { body } = await exchange(google, code, verifier);
    const [header, payload, signature] = (body.id_token as string).split('.');
    const jwks = (await (await fetch(google.urls.jwks)).json()) as { keys: (import('node:crypto').JsonWebKey & { kid: string })[] };
    const key = createPublicKey({ key: jwks.keys[0] as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });
    const claims = claimsOf(body.id_token);
    expect(claims).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: CLIENT.clientId,
      email: 'facturas@acme.test',
      email_verified: true,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('issues a refresh token only with access_type=offline, and on a second consent only with prompt=consent', async () => {
    const online = await consent(google, GOOGLE_SCOPE);
    expect((await exchange(google, online.code, online.verifier)).body.refresh_token).toBeUndefined();
    const second = await consent(google, GOOGLE_SCOPE, { access_type: 'offline' });
    expect((await exchange(google, second.code, second.verifier)).body.refresh_token).toBeUndefined();
    const forced = await consent(google, GOOGLE_SCOPE, { access_type: 'offline', prompt: 'consent' });
    expect((await exchange(google, forced.code, forced.verifier)).body.refresh_token).toBeDefined();
  });

  it("refuses a wrong verifier, redirect URI, secret or expired code with Google's answers", async () => {
    let c = await consent(google, GOOGLE_SCOPE);
    expect(await exchange(google, c.code, pkce().verifier)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
    });
    c = await consent(google, GOOGLE_SCOPE);
    expect(await exchange(google, c.code, c.verifier, { redirect_uri: 'http://127.0.0.1:9/other' })).toEqual({
      status: 400,
      body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' },
    });
    expect(await exchange(google, c.code, c.verifier, { client_secret: 'nope' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Unauthorized' },
    });
    google.behaviour.codeTtlSeconds = 0;
    c = await consent(google, GOOGLE_SCOPE);
    expect((await exchange(google, c.code, c.verifier)).body.error).toBe('invalid_grant');
  });

  it('refreshes without rotating, counts refreshes, and answers invalid_grant once the grant is revoked', async () => {
    const { code, verifier } = await consent(google, GOOGLE_SCOPE, { access_type: 'offline' });
    const { body } = await exchange(google, code, verifier);
    google.behaviour.accessTokenTtlSeconds = 120;
    const renewed = await refresh(google, body.refresh_token);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ expires_in: 120, token_type: 'Bearer' });
    expect(renewed.body.refresh_token).toBeUndefined();
    expect(claimsOf(renewed.body.id_token).email).toBe('facturas@acme.test');

    expect(google.revokeGrant()).toBe(1);
    expect(google.isValidAccessToken(renewed.body.access_token)).toBeUndefined();
    expect(await refresh(google, body.refresh_token)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    expect(google.stats).toMatchObject({ refreshes: 2, refusedRefreshes: 1 });
  });

  it('expires access tokens by their lifetime, or at once when told', async () => {
    let clock = Date.now();
    const timed = await startOAuthServer({
      flavour: 'google',
      clients: [CLIENT],
      user: { email: 'a@acme.test' },
      accessTokenTtlSeconds: 60,
      now: () => clock,
    });
    try {
      const { code, verifier } = await consent(timed, GOOGLE_SCOPE, { access_type: 'offline' });
      const { body } = await exchange(timed, code, verifier);
      expect(timed.isValidAccessToken(body.access_token)).toBeDefined();
      clock += 61_000;
      expect(timed.isValidAccessToken(body.access_token)).toBeUndefined();
      expect(timed.issuedAccessToken(body.access_token)).toBe(true);
      const renewed = await refresh(timed, body.refresh_token);
      timed.expireAccessToken(renewed.body.access_token);
      expect(timed.isValidAccessToken(renewed.body.access_token)).toBeUndefined();
    } finally {
      await timed.close();
    }
  });

  it('checks the authorize request: unknown client and redirect URI get an error page, the rest a redirect with error', async () => {
    const p = pkce();
    const good = {
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: GOOGLE_SCOPE,
      state: 's',
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    };
    expect(await authorize(google, { ...good, client_id: 'other' })).toMatchObject({ status: 401, location: undefined });
    expect(await authorize(google, { ...good, redirect_uri: 'https://evil.example/cb' })).toMatchObject({
      status: 400,
      location: undefined,
    });
    const errorOf = async (over: Record<string, string | undefined>) =>
      (await authorize(google, { ...good, ...over })).location?.searchParams.get('error');
    expect(await errorOf({ response_type: 'token' })).toBe('unsupported_response_type');
    expect(await errorOf({ scope: 'openid https://www.googleapis.com/auth/drive' })).toBe('invalid_scope');
    expect(await errorOf({ code_challenge: undefined })).toBe('invalid_request');
    expect(await errorOf({ code_challenge_method: 'plain' })).toBe('invalid_request');
    expect(await errorOf({ state: undefined })).toBe('invalid_request');
    google.behaviour.consent = 'deny';
    const denied = await authorize(google, good);
    expect(denied.location?.searchParams.get('error')).toBe('access_denied');
    expect(denied.location?.searchParams.get('state')).toBe('s');
    expect(denied.location?.searchParams.get('code')).toBeNull();
  });
});

describe('OAuth server emulator playing Microsoft', () => {
  let ms: OAuthServerEmulator;
  beforeEach(async () => {
    ms = await startOAuthServer({ flavour: 'microsoft', clients: [CLIENT], user: { email: 'facturas@contoso.test', emailClaim: false } });
  });
  afterEach(() => ms.close());

  it('serves any authority, names the mailbox in preferred_username, and rotates refresh tokens', async () => {
    expect(ms.urls.authorize).toBe(`${ms.url}/common/oauth2/v2.0/authorize`);
    const { code, verifier } = await consent(ms, MS_SCOPE);
    const { status, body } = await token(ms, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = claimsOf(body.id_token);
    expect(claims).toMatchObject({ ver: '2.0', aud: CLIENT.clientId, preferred_username: 'facturas@contoso.test' });
    expect(claims.email).toBeUndefined();
    expect(claims.iss).toBe(ms.issuer);

    const viaOrganizations = await fetch(`${ms.url}/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: body.refresh_token,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        scope: MS_SCOPE,
      }),
    });
    const rotated = (await viaOrganizations.json()) as Record<string, string>;
    expect(viaOrganizations.status).toBe(200);
    expect(rotated.refresh_token).toBeDefined();
    expect(rotated.refresh_token).not.toBe(body.refresh_token);
    // Microsoft keeps the old one valid for a while; the emulator can be stricter.
    expect((await refresh(ms, body.refresh_token)).status).toBe(200);
    ms.behaviour.retireRotatedRefreshTokens = true;
    const strict = await refresh(ms, rotated.refresh_token);
    expect((await refresh(ms, rotated.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(ms, strict.body.refresh_token)).status).toBe(200);
  });

  it("answers a revoked grant with Microsoft's invalid_grant body (AADSTS70000, trace ids)", async () => {
    const { code, verifier } = await consent(ms, MS_SCOPE);
    const { body } = await exchange(ms, code, verifier);
    ms.revokeGrant('FACTURAS@contoso.test');
    const refused = await refresh(ms, body.refresh_token);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
    expect(refused.body.error_description).toMatch(
      /^AADSTS70000: The provided grant has expired due to it being revoked.*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: /s,
    );
  });

  it('issues a refresh token only with offline_access, refuses two resources in one token and scopes never granted', async () => {
    const online = await consent(ms, 'openid email https://outlook.office.com/SMTP.Send');
    expect((await exchange(ms, online.code, online.verifier)).body.refresh_token).toBeUndefined();
    const two = await consent(ms, `${MS_SCOPE} https://graph.microsoft.com/Mail.Send`);
    expect((await exchange(ms, two.code, two.verifier)).body).toMatchObject({ error: 'invalid_scope', error_codes: [28000] });
    const smtp = await consent(ms, MS_SCOPE);
    const { body } = await exchange(ms, smtp.code, smtp.verifier);
    expect((await refresh(ms, body.refresh_token, { scope: 'offline_access https://graph.microsoft.com/Mail.Send' })).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [65001],
    });
  });

  it('refuses a wrong client secret with 401 invalid_client (AADSTS7000215), also in Basic auth', async () => {
    const { code, verifier } = await consent(ms, MS_SCOPE);
    const res = await fetch(ms.urls.token, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:wrong`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('says access_denied with an AADSTS description when the user declines', async () => {
    ms.behaviour.consent = 'deny';
    const p = pkce();
    const { location } = await authorize(ms, {
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: MS_SCOPE,
      state: 'x',
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
    });
    expect(location?.searchParams.get('error')).toBe('access_denied');
    expect(location?.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
  });
});
