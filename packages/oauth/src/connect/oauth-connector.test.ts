import { randomBytes } from 'node:crypto';
import { connectTestRedis, OAuthServerEmulator, startOAuthServer, TestRedis } from '@mailroom/testkit';
import { OAuthError } from '../oauth-error';
import { RedisOAuthStateStore } from '../state/oauth-state-store';
import { OAuthStateError, OAuthStates } from '../state/oauth-states';
import { TokenEndpoint } from '../token-endpoint';
import { OAuthConnectError, OAuthConnector } from './oauth-connector';

const REDIRECT = 'https://mailroom.example/oauth/callback';
const CLIENT = { clientId: 'mailroom-app', clientSecret: 'platform-secret', redirectUris: [REDIRECT] };

describe('OAuthConnector: start, consent at a local vendor, callback', () => {
  let t: TestRedis;
  let google: OAuthServerEmulator;
  let microsoft: OAuthServerEmulator;
  let connector: OAuthConnector;

  beforeAll(async () => {
    t = connectTestRedis('oauth-connect');
    google = await startOAuthServer({ flavour: 'google', clients: [CLIENT], user: { email: 'facturas@acme.test' } });
    microsoft = await startOAuthServer({
      flavour: 'microsoft',
      clients: [CLIENT],
      user: { email: 'facturas@contoso.test', emailClaim: false },
    });
    connector = new OAuthConnector({
      apps: {
        google: {
          clientId: CLIENT.clientId,
          clientSecret: CLIENT.clientSecret,
          authUrl: google.urls.authorize,
          tokenUrl: google.urls.token,
        },
        microsoft: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, loginUrl: microsoft.url },
      },
      states: new OAuthStates({ keys: [{ id: 'k1', key: randomBytes(32) }], store: new RedisOAuthStateStore(t.redis, t.prefix) }),
      tokenEndpoint: new TokenEndpoint({ timeoutMs: 2000 }),
      redirectUri: REDIRECT,
    });
  });
  afterAll(async () => {
    await Promise.all([google.close(), microsoft.close()]);
    await t.close();
  });
  beforeEach(() => {
    google.behaviour.consent = 'grant';
    microsoft.behaviour.consent = 'grant';
  });

  it('connects a Gmail mailbox: the URL carries PKCE and a state, the callback yields tokens and the address', async () => {
    const { authorizeUrl } = await connector.start({
      tenantId: 'tn_acme',
      vendor: 'google',
      via: 'smtp',
      returnUrl: 'https://app.example/s',
    });
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);

    const connected = await connector.finish(await google.consentTo(authorizeUrl));
    expect(connected).toMatchObject({
      tenantId: 'tn_acme',
      vendor: 'google',
      via: 'smtp',
      returnUrl: 'https://app.example/s',
      mailbox: 'facturas@acme.test',
    });
    expect(google.isValidAccessToken(connected.accessToken, 'https://mail.google.com/')?.email).toBe('facturas@acme.test');
    expect(connected.refreshToken).toMatch(/^1\/\//);
    expect(connected.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(JSON.stringify(connected)).not.toMatch(/codeVerifier/);
  });

  it('connects a Microsoft 365 mailbox for Graph, the address from preferred_username, overrides kept', async () => {
    const { authorizeUrl } = await connector.start({
      tenantId: 'tn_contoso',
      vendor: 'microsoft',
      via: 'graph',
      smtp: { host: 'smtp-legacy.office365.com' },
    });
    expect(new URL(authorizeUrl).pathname).toBe('/common/oauth2/v2.0/authorize');
    const connected = await connector.finish(await microsoft.consentTo(authorizeUrl));
    expect(connected).toMatchObject({
      tenantId: 'tn_contoso',
      via: 'graph',
      mailbox: 'facturas@contoso.test',
      smtp: { host: 'smtp-legacy.office365.com' },
    });
    expect(microsoft.isValidAccessToken(connected.accessToken, 'https://graph.microsoft.com/Mail.Send')).toBeDefined();
  });

  it('refuses a reused state and a forged one, exchanging no code for them', async () => {
    const { authorizeUrl } = await connector.start({ tenantId: 'tn_acme', vendor: 'google', via: 'smtp' });
    const callback = await google.consentTo(authorizeUrl);
    await connector.finish(callback);
    const exchanges = google.stats.codeExchanges;
    await expect(connector.finish(callback)).rejects.toMatchObject({ name: 'OAuthStateError', reason: 'used' });
    await expect(
      connector.finish({ ...callback, state: callback.state.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }),
    ).rejects.toBeInstanceOf(OAuthStateError);
    await expect(connector.finish({ code: callback.code })).rejects.toMatchObject({ code: 'state_missing' });
    expect(google.stats.codeExchanges).toBe(exchanges);
  });

  it('says consent_refused (with the pending connection, for the redirect) when the admin declines, and burns the state', async () => {
    microsoft.behaviour.consent = 'deny';
    const { authorizeUrl } = await connector.start({
      tenantId: 'tn_contoso',
      vendor: 'microsoft',
      via: 'smtp',
      returnUrl: 'https://app.example/s',
    });
    const callback = await microsoft.consentTo(authorizeUrl);
    const e = await connector.finish(callback).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OAuthConnectError);
    expect(e).toMatchObject({ code: 'consent_refused', pending: { tenantId: 'tn_contoso', returnUrl: 'https://app.example/s' } });
    expect((e as Error).message).toMatch(/access_denied: AADSTS65004/);
    await expect(connector.finish(callback)).rejects.toMatchObject({ reason: 'used' });
  });

  it('passes on the vendor refusing the code (a code replayed against the vendor)', async () => {
    const { authorizeUrl } = await connector.start({ tenantId: 'tn_acme', vendor: 'google', via: 'smtp' });
    const callback = await google.consentTo(authorizeUrl);
    const { authorizeUrl: second } = await connector.start({ tenantId: 'tn_acme', vendor: 'google', via: 'smtp' });
    const fresh = await google.consentTo(second);
    await connector.finish(callback);
    // the first code, under the second (valid) state: the verifier does not match that code
    const e = await connector.finish({ code: callback.code, state: fresh.state }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OAuthConnectError);
    expect(e).toMatchObject({ code: 'code_refused', pending: { tenantId: 'tn_acme', vendor: 'google' } });
    expect((e as Error).cause).toBeInstanceOf(OAuthError);
    expect((e as Error).cause).toMatchObject({ kind: 'reconnect_required', oauthError: 'invalid_grant' });
  });

  it('refuses a Google address Google has not verified (claims as the vendor sets them)', async () => {
    const unverified = await startOAuthServer({
      flavour: 'google',
      clients: [CLIENT],
      user: { email: 'nuevo@acme.test' },
      idTokenClaims: { email_verified: false },
    });
    try {
      const c = new OAuthConnector({
        apps: {
          google: {
            clientId: CLIENT.clientId,
            clientSecret: CLIENT.clientSecret,
            authUrl: unverified.urls.authorize,
            tokenUrl: unverified.urls.token,
          },
        },
        states: new OAuthStates({ keys: [{ id: 'k', key: randomBytes(32) }], store: new RedisOAuthStateStore(t.redis, t.prefix) }),
        tokenEndpoint: new TokenEndpoint({ timeoutMs: 2000 }),
        redirectUri: REDIRECT,
      });
      const { authorizeUrl } = await c.start({ tenantId: 'tn_new', vendor: 'google', via: 'smtp', returnUrl: 'https://app.example/s' });
      await expect(c.finish(await unverified.consentTo(authorizeUrl))).rejects.toMatchObject({
        code: 'no_mailbox',
        pending: { returnUrl: 'https://app.example/s' },
      });
    } finally {
      await unverified.close();
    }
  });

  it('offers only configured vendors and ways of sending', async () => {
    expect(connector.offered()).toEqual(['google', 'microsoft']);
    await expect(connector.start({ tenantId: 't', vendor: 'google', via: 'graph' })).rejects.toMatchObject({ code: 'via_not_supported' });
    const onlyMicrosoft = new OAuthConnector({
      apps: { microsoft: { clientId: 'x', clientSecret: 'y' } },
      states: new OAuthStates({ keys: [{ id: 'k', key: randomBytes(32) }], store: new RedisOAuthStateStore(t.redis, t.prefix) }),
      tokenEndpoint: new TokenEndpoint({ timeoutMs: 1000 }),
      redirectUri: REDIRECT,
    });
    await expect(onlyMicrosoft.start({ tenantId: 't', vendor: 'google', via: 'smtp' })).rejects.toMatchObject({
      code: 'vendor_not_configured',
    });
  });
});
