import { OAuthServerEmulator, startOAuthServer } from '@mailroom/testkit';
import { OAuthError } from './oauth-error';
import { oauthDeliveryError } from './oauth-delivery-error';
import { googleVendor, microsoftVendor, OAuthVendor } from './oauth-vendors';
import { createPkcePair } from './pkce';
import { buildAuthorizeUrl } from './authorize-url';
import { TokenEndpoint } from './token-endpoint';

const CLIENT = { clientId: 'mailroom', clientSecret: 'platform-secret', redirectUris: ['https://mr.example/oauth/callback'] };
const REDIRECT = CLIENT.redirectUris[0];

async function connect(server: OAuthServerEmulator, vendor: OAuthVendor, endpoint: TokenEndpoint) {
  const pkce = createPkcePair();
  const query = await server.consentTo(
    buildAuthorizeUrl(vendor, { via: 'smtp', redirectUri: REDIRECT, state: 's', codeChallenge: pkce.challenge }),
  );
  return endpoint.exchangeCode(vendor, { code: query.code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
}

async function failure(p: Promise<unknown>): Promise<OAuthError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OAuthError);
  return e as OAuthError;
}

describe('TokenEndpoint against a local Google', () => {
  let server: OAuthServerEmulator;
  let vendor: OAuthVendor;
  const endpoint = new TokenEndpoint({ timeoutMs: 2000 });
  beforeAll(async () => {
    server = await startOAuthServer({ flavour: 'google', clients: [CLIENT], user: { email: 'facturas@acme.test' } });
    vendor = googleVendor({
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      authUrl: server.urls.authorize,
      tokenUrl: server.urls.token,
    });
  });
  afterAll(() => server.close());

  it('exchanges a code and refreshes; Google keeps the refresh token', async () => {
    const before = Date.now();
    const tokens = await connect(server, vendor, endpoint);
    expect(tokens.refreshToken).toBeDefined();
    expect(tokens.idToken).toBeDefined();
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3599_000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + 3599_000);
    const renewed = await endpoint.refresh(vendor, { refreshToken: tokens.refreshToken!, via: 'smtp' });
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    expect(renewed.refreshToken).toBeUndefined();
    expect(server.isValidAccessToken(renewed.accessToken, 'https://mail.google.com/')?.email).toBe('facturas@acme.test');
    // Google takes the grant's scopes: none sent.
    expect(server.requests.at(-1)!.rawBody.toString()).not.toContain('scope=');
  });

  it('reads invalid_grant as reconnect_required, and the email gets a permanent oauth_reconnect_required', async () => {
    const tokens = await connect(server, vendor, endpoint);
    server.revokeGrant();
    const e = await failure(endpoint.refresh(vendor, { refreshToken: tokens.refreshToken!, via: 'smtp' }));
    expect(e).toMatchObject({
      kind: 'reconnect_required',
      retryable: false,
      status: 400,
      oauthError: 'invalid_grant',
      description: 'Token has been expired or revoked.',
      vendor: 'google',
    });
    const delivery = oauthDeliveryError(e);
    expect(delivery).toMatchObject({
      code: 'oauth_reconnect_required',
      retryable: false,
      responseCode: 400,
      response: 'invalid_grant: Token has been expired or revoked.',
    });
    expect(delivery.hint).toMatch(/Reconnect the mailbox with Google/);
  });

  it('reads 5xx and 429 as temporary with Retry-After, a timeout and a dropped connection too', async () => {
    server.injectFault({ kind: 'status', status: 503, body: 'upstream down', headers: { 'retry-after': '7' } });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({
      kind: 'temporary',
      retryable: true,
      status: 503,
      retryAfterMs: 7000,
    });
    server.injectFault({ kind: 'status', status: 429, body: { error: 'rate_limit_exceeded' } });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({ kind: 'temporary', status: 429 });
    server.injectFault({ kind: 'delay', ms: 600 });
    const slow = await failure(new TokenEndpoint({ timeoutMs: 150 }).refresh(vendor, { refreshToken: 'x', via: 'smtp' }));
    expect(slow).toMatchObject({ kind: 'temporary', status: undefined });
    expect(slow.message).toMatch(/no answer within 150 ms/);
    server.injectFault({ kind: 'drop' });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({
      kind: 'temporary',
      status: undefined,
    });
    server.injectFault({ kind: 'status', status: 200, body: '<html>captive portal</html>', contentType: 'text/html' });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({ kind: 'temporary', status: 200 });
    server.injectFault({ kind: 'status', status: 403, body: '<html>forbidden by proxy</html>', contentType: 'text/html' });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({ kind: 'temporary', status: 403 });
  });

  it("reads a refused client secret as the platform's problem: retried, with a hint for the operators", async () => {
    const wrong = { ...vendor, clientSecret: 'expired-secret' };
    const e = await failure(endpoint.refresh(wrong, { refreshToken: 'x', via: 'smtp' }));
    expect(e).toMatchObject({ kind: 'client_rejected', retryable: true, status: 401, oauthError: 'invalid_client' });
    expect(oauthDeliveryError(e)).toMatchObject({ code: 'oauth_client_rejected', retryable: true });
  });
});

describe('TokenEndpoint against a local Microsoft', () => {
  let server: OAuthServerEmulator;
  let vendor: OAuthVendor;
  const endpoint = new TokenEndpoint({ timeoutMs: 2000 });
  beforeAll(async () => {
    server = await startOAuthServer({ flavour: 'microsoft', clients: [CLIENT], user: { email: 'facturas@contoso.test' } });
    vendor = microsoftVendor({
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      loginUrl: server.url,
      authority: 'organizations',
    });
  });
  afterAll(() => server.close());

  it('sends the scopes again on a refresh and takes the rotated refresh token', async () => {
    const tokens = await connect(server, vendor, endpoint);
    const renewed = await endpoint.refresh(vendor, { refreshToken: tokens.refreshToken!, via: 'smtp' });
    expect(new URLSearchParams(server.requests.at(-1)!.rawBody.toString()).get('scope')).toBe(
      'openid email offline_access https://outlook.office.com/SMTP.Send',
    );
    expect(server.requests.at(-1)!.path).toBe('/organizations/oauth2/v2.0/token');
    expect(renewed.refreshToken).toBeDefined();
    expect(renewed.refreshToken).not.toBe(tokens.refreshToken);
  });

  it("keeps only the first line of Microsoft's description (no trace ids) and reads interaction_required as reconnect", async () => {
    const tokens = await connect(server, vendor, endpoint);
    server.revokeGrant();
    const e = await failure(endpoint.refresh(vendor, { refreshToken: tokens.refreshToken!, via: 'smtp' }));
    expect(e.kind).toBe('reconnect_required');
    expect(e.description).toMatch(/^AADSTS70000: The provided grant has expired due to it being revoked/);
    expect(e.description).not.toMatch(/Trace ID/);
    server.injectFault({
      kind: 'status',
      status: 400,
      body: {
        error: 'interaction_required',
        error_description:
          'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.',
      },
    });
    expect(await failure(endpoint.refresh(vendor, { refreshToken: 'x', via: 'smtp' }))).toMatchObject({
      kind: 'reconnect_required',
      oauthError: 'interaction_required',
    });
    expect(oauthDeliveryError(e).hint).toMatch(/with Microsoft/);
  });
});
