import type { Config } from '@mailroom/config';
import { OAuthConnector, OAuthStates, OAuthStateStore, RedisOAuthStateStore, TokenEndpoint } from '@mailroom/oauth';
import { withinMs } from '@mailroom/runtime';
import type { Cluster, Redis } from 'ioredis';

/** The path of the OAuth callback on the webhooks app, registered with each vendor under PUBLIC_BASE_URL. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

/**
 * The connect flow as the API (start) and the webhooks app (callback) build it from the config: the
 * platform's OAuth apps, states signed with ENCRYPTION_KEYS and kept in Redis under QUEUE_PREFIX
 * (every call bounded by REDIS_REQUEST_TIMEOUT_MS: both routes are request paths), the token
 * endpoint bounded by PROVIDER_TIMEOUT_MS, and PUBLIC_BASE_URL + /oauth/callback as the redirect URI.
 */
export function createOAuthConnector(
  config: Pick<Config, 'oauth' | 'encryptionKeys' | 'queuePrefix' | 'publicBaseUrl' | 'timeouts'>,
  redis: Redis | Cluster,
): OAuthConnector {
  return new OAuthConnector({
    apps: config.oauth,
    states: new OAuthStates({
      keys: config.encryptionKeys,
      store: boundedStateStore(new RedisOAuthStateStore(redis, `${config.queuePrefix}:`), config.timeouts.redisRequestMs),
    }),
    tokenEndpoint: new TokenEndpoint({ timeoutMs: config.timeouts.providerMs }),
    redirectUri: `${config.publicBaseUrl}${OAUTH_CALLBACK_PATH}`,
  });
}

/** Each state store call answered within `ms`, or a DeadlineExceededError (the routes answer 503). */
function boundedStateStore(store: OAuthStateStore, ms: number): OAuthStateStore {
  return {
    put: (id, value, ttlMs) => withinMs(store.put(id, value, ttlMs), ms, 'Redis (OAuth state)'),
    take: (id) => withinMs(store.take(id), ms, 'Redis (OAuth state)'),
  };
}
