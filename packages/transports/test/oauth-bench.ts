import { randomBytes } from 'node:crypto';
// The oauth package and the testkit are sibling workspace packages transports uses in its tests only.
import {
  AccessTokenManager,
  configuredVendors,
  OAuthApps,
  OAuthConnector,
  OAuthStates,
  OAuthVia,
  RedisOAuthStateStore,
  TokenEndpoint,
} from '@mailroom/oauth';
import { connectTestRedis, OAuthServerEmulator, SharedGrantStore, sharedGrantStore, startOAuthServer, TestRedis } from '@mailroom/testkit';

const REDIRECT = 'https://mailroom.example/oauth/callback';
const CLIENT = { clientId: 'mailroom-app', clientSecret: 'platform-secret', redirectUris: [REDIRECT] };

/** A tenant whose mailbox went through the whole connect flow; its grant in a store all "workers" share. */
export interface ConnectedTenant {
  mailbox: string;
  grant: SharedGrantStore;
}

/** A local vendor, the real Redis, the real connect flow and token managers: what an OAuth2 transport test needs. */
export interface OAuthBench {
  oauth: OAuthServerEmulator;
  redis: TestRedis;
  /** Start, consent at the local vendor, callback: the way a tenant connects. */
  connect(tenantId: string, via?: OAuthVia): Promise<ConnectedTenant>;
  /** A worker's token manager; give it its own Redis connection to play another process. */
  manager(redis?: TestRedis['redis']): AccessTokenManager;
  close(): Promise<void>;
}

export async function startOAuthBench(flavour: 'google' | 'microsoft', mailbox: string): Promise<OAuthBench> {
  const oauth = await startOAuthServer({ flavour, clients: [CLIENT], user: { email: mailbox }, retireRotatedRefreshTokens: true });
  const redis = connectTestRedis(`transports-${flavour}`);
  const apps: OAuthApps =
    flavour === 'google'
      ? {
          google: {
            clientId: CLIENT.clientId,
            clientSecret: CLIENT.clientSecret,
            authUrl: oauth.urls.authorize,
            tokenUrl: oauth.urls.token,
          },
        }
      : { microsoft: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, loginUrl: oauth.url } };
  const tokenEndpoint = new TokenEndpoint({ timeoutMs: 5000 });
  const connector = new OAuthConnector({
    apps,
    states: new OAuthStates({ keys: [{ id: 'k1', key: randomBytes(32) }], store: new RedisOAuthStateStore(redis.redis, redis.prefix) }),
    tokenEndpoint,
    redirectUri: REDIRECT,
  });
  return {
    oauth,
    redis,
    async connect(tenantId, via = 'smtp') {
      const { authorizeUrl } = await connector.start({ tenantId, vendor: flavour, via });
      const connected = await connector.finish(await oauth.consentTo(authorizeUrl));
      return {
        mailbox: connected.mailbox,
        grant: sharedGrantStore(tenantId, {
          vendor: flavour,
          via,
          refreshToken: connected.refreshToken,
          accessToken: connected.accessToken,
          accessTokenExpiresAt: connected.accessTokenExpiresAt,
        }),
      };
    },
    manager: (r = redis.redis) =>
      new AccessTokenManager({ redis: r, keyPrefix: redis.prefix, vendors: configuredVendors(apps), tokenEndpoint }),
    async close() {
      await oauth.close();
      await redis.close();
    },
  };
}
