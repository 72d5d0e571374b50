import type { Config } from '@mailroom/config';
import type { PixelTokens, SecretBox } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebhookObserver } from './webhooks-metrics';

export interface WebhooksDeps {
  config: Config;
  logger: Logger;
  store: Store;
  redis: Redis;
  box: SecretBox;
  pixelTokens: PixelTokens;
  now: () => Date;
  /** Told what became of each provider request (metrics). */
  observer?: WebhookObserver;
}
