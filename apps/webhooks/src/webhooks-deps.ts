import type { Config } from '@mailroom/config';
import type { OAuthConnector } from '@mailroom/oauth';
import type { PixelTokens, SecretBox } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import type { ProviderRegistry } from '@mailroom/transports';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebhookObserver } from './webhooks-metrics';

export interface WebhooksDeps {
  config: Config;
  logger: Logger;
  store: Store;
  redis: Redis | Cluster;
  box: SecretBox;
  pixelTokens: PixelTokens;
  /** The transport modules: each provider's webhook verification and parsing, the OAuth connection's settings. */
  providers: ProviderRegistry;
  /** Finishing a mailbox connection (GET /oauth/callback). */
  oauth: OAuthConnector;
  now: () => Date;
  /** Told what became of each provider request (metrics). */
  observer?: WebhookObserver;
}
