import { connectTestRedis, OAuthServerEmulator, sharedGrantStore, startOAuthServer, TestRedis } from '@mailroom/testkit';
import type { Redis } from 'ioredis';
import { buildAuthorizeUrl } from '../authorize-url';
import { OAuthError } from '../oauth-error';
import { microsoftVendor, OAuthVendor } from '../oauth-vendors';
import { createPkcePair } from '../pkce';
import { TokenEndpoint } from '../token-endpoint';
import { AccessTokenManager } from './access-token-manager';

const REDIRECT = 'https://mailroom.example/oauth/callback';
const CLIENT = { clientId: 'mailroom-app', clientSecret: 'platform-secret', redirectUris: [REDIRECT] };
const SMTP_SEND = 'https://outlook.office.com/SMTP.Send';

describe('AccessTokenManager: one refresh per tenant across workers (real Redis, local Microsoft)', () => {
  let t: TestRedis;
  let ms: OAuthServerEmulator;
  let vendor: OAuthVendor;
  const endpoint = new TokenEndpoint({ timeoutMs: 5000 });

  beforeAll(async () => {
    t = connectTestRedis('oauth-tokens');
    // Strict rotation: a refresh with an already-rotated token fails, so a second refresher would be caught.
    ms = await startOAuthServer({
      flavour: 'microsoft',
      clients: [CLIENT],
      user: { email: 'facturas@contoso.test' },
      retireRotatedRefreshTokens: true,
    });
    vendor = microsoftVendor({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, loginUrl: ms.url });
  });
  afterAll(async () => {
    await ms.close();
    await t.close();
  });

  /** A tenant freshly connected at the local Microsoft, its grant in a store both "workers" share. */
  async function connectedTenant(tenantId: string, accessTokenExpiresAt?: number) {
    const pkce = createPkcePair();
    const query = await ms.consentTo(
      buildAuthorizeUrl(vendor, { via: 'smtp', redirectUri: REDIRECT, state: 's', codeChallenge: pkce.challenge }),
    );
    const tokens = await endpoint.exchangeCode(vendor, { code: query.code, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    return sharedGrantStore(tenantId, {
      vendor: 'microsoft',
      via: 'smtp',
      refreshToken: tokens.refreshToken!,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: accessTokenExpiresAt ?? tokens.expiresAt,
    });
  }

  const worker = (redis: Redis, options: Partial<ConstructorParameters<typeof AccessTokenManager>[0]> = {}) =>
    new AccessTokenManager({ redis, keyPrefix: t.prefix, vendors: { microsoft: vendor }, tokenEndpoint: endpoint, ...options });

  it('hands out the stored token while more than 5 minutes remain, and refreshes (storing both new tokens) when fewer do', async () => {
    const store = await connectedTenant('tn_fresh');
    const manager = worker(t.redis);
    const before = ms.stats.refreshes;
    expect(await manager.getAccessToken(store)).toBe(store.current.accessToken);
    expect(ms.stats.refreshes).toBe(before);

    const old = { ...store.current };
    store.current.accessTokenExpiresAt = Date.now() + 4 * 60_000;
    const renewed = await manager.getAccessToken(store);
    expect(renewed).not.toBe(old.accessToken);
    expect(ms.isValidAccessToken(renewed, SMTP_SEND)?.email).toBe('facturas@contoso.test');
    expect(ms.stats.refreshes).toBe(before + 1);
    expect(store.writes).toEqual([
      { accessToken: renewed, accessTokenExpiresAt: expect.any(Number), refreshToken: expect.any(String), refreshTokenRotated: true },
    ]);
    expect(store.current.refreshToken).not.toBe(old.refreshToken);
  });

  it('10 concurrent sends with an expired token, on two workers with their own Redis connections: exactly one refresh', async () => {
    const store = await connectedTenant('tn_concurrent', Date.now() - 1000);
    const a = worker(t.redis);
    const b = worker(t.another());
    const before = ms.stats.refreshes;
    // The vendor takes its time, so every caller arrives while the refresh is under way.
    ms.injectFault({ kind: 'delay', ms: 300 }, (req) => req.path.endsWith('/token'));
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).getAccessToken(store)));

    expect(ms.stats.refreshes - before).toBe(1);
    expect(ms.stats.refusedRefreshes).toBe(0);
    expect(new Set(tokens)).toEqual(new Set([store.current.accessToken]));
    expect(store.writes).toHaveLength(1);
    expect(ms.isValidAccessToken(tokens[0], SMTP_SEND)).toBeDefined();
    expect(await t.redis.exists(`${t.prefix}oauth:refresh:tn_concurrent`)).toBe(0);
  });

  it('a token the server refused is replaced once, however many sends saw it refused', async () => {
    const store = await connectedTenant('tn_rejected');
    const refused = store.current.accessToken!;
    ms.expireAccessToken(refused);
    const a = worker(t.redis);
    const b = worker(t.another());
    const before = ms.stats.refreshes;
    ms.injectFault({ kind: 'delay', ms: 200 }, (req) => req.path.endsWith('/token'));
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).getAccessToken(store, { rejected: refused })));
    expect(ms.stats.refreshes - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(refused);
  });

  it('a revoked grant: every waiting send fails with reconnect_required after ONE refusal from the vendor', async () => {
    const store = await connectedTenant('tn_revoked', Date.now() - 1000);
    ms.revokeGrant();
    const a = worker(t.redis);
    const b = worker(t.another());
    const before = { refreshes: ms.stats.refreshes, refused: ms.stats.refusedRefreshes };
    ms.injectFault({ kind: 'delay', ms: 200 }, (req) => req.path.endsWith('/token'));
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).getAccessToken(store)));

    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    for (const o of outcomes)
      expect((o as PromiseRejectedResult).reason).toMatchObject({
        name: 'OAuthError',
        kind: 'reconnect_required',
        oauthError: 'invalid_grant',
      });
    expect(ms.stats.refreshes - before.refreshes).toBe(1);
    expect(ms.stats.refusedRefreshes - before.refused).toBe(1);
    expect(store.writes).toHaveLength(0);

    // What a transport sees: a permanent DeliveryError that says to reconnect.
    await expect(worker(t.redis).tokensFor(store).getAccessToken()).rejects.toMatchObject({
      name: 'DeliveryError',
      code: 'oauth_reconnect_required',
      retryable: false,
      responseCode: 400,
    });
    expect(ms.stats.refreshes - before.refreshes).toBe(1);

    // After a reconnect (a new refresh token), the memo of the dead one does not stand in the way.
    ms.behaviour.user = { email: 'facturas@contoso.test' };
    const reconnected = await connectedTenant('tn_revoked', Date.now() - 1000);
    await expect(a.getAccessToken(reconnected)).resolves.toEqual(expect.any(String));
  });

  it('takes over from a worker that died holding the lock, once the lock expires', async () => {
    const store = await connectedTenant('tn_orphan', Date.now() - 1000);
    await t.redis.set(`${t.prefix}oauth:refresh:tn_orphan`, 'dead-worker', 'PX', 400);
    const startedAt = Date.now();
    const token = await worker(t.redis, { pollMs: 25 }).getAccessToken(store);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(ms.isValidAccessToken(token)).toBeDefined();
  });

  it('gives up waiting with a retryable error when the refresh takes too long', async () => {
    const store = await connectedTenant('tn_stuck', Date.now() - 1000);
    await t.redis.set(`${t.prefix}oauth:refresh:tn_stuck`, 'slow-worker', 'PX', 10_000);
    const e = await worker(t.redis, { waitTimeoutMs: 200, pollMs: 20 })
      .getAccessToken(store)
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OAuthError);
    expect(e).toMatchObject({ kind: 'temporary', retryable: true });
    await t.redis.del(`${t.prefix}oauth:refresh:tn_stuck`);
  });
});
