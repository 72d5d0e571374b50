import type { CallbackPublisher } from '@mailroom/callbacks';
import type { Config } from '@mailroom/config';
import type { MailboxTokens, TransportCache } from '@mailroom/delivery';
import type { TenantRateLimiter } from '@mailroom/queue';
import type { PixelTokens, SecretBox } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import type { ProviderRegistry, SmtpHostGuard, Transport } from '@mailroom/transports';
import type { Logger } from 'pino';
import type { TransportTimer } from './timed-transport';
import type { SendObserver } from './worker-metrics';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  box: SecretBox;
  pixelTokens: PixelTokens;
  transports: TransportCache;
  /** Times each transport call for the metrics. */
  timer?: TransportTimer;
  /** The transport modules (packages/transports providers.ts). */
  providers: ProviderRegistry;
  /** Connected mailboxes' access tokens: one AccessTokenManager per worker. */
  mailboxTokens: MailboxTokens;
  /** The SSRF guard of tenants' own SMTP servers: checked again at every connection. */
  smtpHosts: SmtpHostGuard;
  /** The platform's relay, one pooled connection set shared by every platform tenant of this worker. */
  platformTransport?: Transport;
  /** The tenants' own sending limits, counted in the shared Redis under QUEUE_PREFIX (decision 0030). */
  limiter: TenantRateLimiter;
  now: () => Date;
  /** Status callbacks to the platform: `publish(events)` after each store update; never throws. */
  callbacks?: CallbackPublisher;
  /** Told how each send attempt ended (metrics). */
  observer?: SendObserver;
}
