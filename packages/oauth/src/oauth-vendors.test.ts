import { buildAuthorizeUrl } from './authorize-url';
import { configuredVendors, googleVendor, microsoftVendor, scopesFor } from './oauth-vendors';
import { createPkcePair, pkceChallengeOf } from './pkce';

const app = { clientId: 'cid', clientSecret: 'secret' };

describe('vendors and the authorize URL', () => {
  it('asks Google for offline access with a fresh consent, PKCE S256, and the SMTP scopes', () => {
    const url = new URL(
      buildAuthorizeUrl(googleVendor(app), {
        via: 'smtp',
        redirectUri: 'https://mr.example/oauth/callback',
        state: 'st',
        codeChallenge: 'ch',
        loginHint: 'a@acme.test',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: 'https://mr.example/oauth/callback',
      response_type: 'code',
      scope: 'openid email https://mail.google.com/',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      login_hint: 'a@acme.test',
    });
    expect(url.searchParams.has('client_secret')).toBe(false);
  });

  it('builds Microsoft URLs from the login URL and authority, with one resource per way of sending', () => {
    const common = microsoftVendor(app);
    expect(common.authorizeUrl).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(common.tokenUrl).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
    const local = microsoftVendor({ ...app, loginUrl: 'http://127.0.0.1:4000/', authority: 'organizations' });
    expect(local.tokenUrl).toBe('http://127.0.0.1:4000/organizations/oauth2/v2.0/token');
    expect(
      new URL(buildAuthorizeUrl(local, { via: 'graph', redirectUri: 'r', state: 's', codeChallenge: 'c' })).searchParams.get('scope'),
    ).toBe('openid email offline_access https://graph.microsoft.com/Mail.Send');
    expect(scopesFor('microsoft', 'smtp')).toEqual(['openid', 'email', 'offline_access', 'https://outlook.office.com/SMTP.Send']);
    expect(() => scopesFor('google', 'graph')).toThrow(/google cannot send via graph/);
  });

  it('offers only the vendors with an app', () => {
    expect(Object.keys(configuredVendors({}))).toEqual([]);
    expect(Object.keys(configuredVendors({ microsoft: app }))).toEqual(['microsoft']);
    expect(configuredVendors({ google: { ...app, authUrl: 'http://x/auth', tokenUrl: 'http://x/token' } }).google?.tokenUrl).toBe(
      'http://x/token',
    );
  });

  it('makes RFC 7636 verifiers and S256 challenges', () => {
    const pair = createPkcePair();
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.challenge).toBe(pkceChallengeOf(pair.verifier));
    expect(createPkcePair().verifier).not.toBe(pair.verifier);
    // RFC 7636 appendix B
    expect(pkceChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
