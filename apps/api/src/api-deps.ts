import type { Callbacks } from '@mailroom/callbacks';
import type { Config } from '@mailroom/config';
import type { MailboxTokens } from '@mailroom/delivery';
import type { OAuthConnector } from '@mailroom/oauth';
import type { SendJobData, TenantLanes } from '@mailroom/queue';
import type { SecretBox, TenantTokens } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import type { ProviderRegistry, SmtpHostGuard } from '@mailroom/transports';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiObserver } from './api-metrics';
import type { BatchBodyReader } from './batch-body/batch-body-reader';

/** What the routes and use cases are given. Built once in api-server.ts; tests may inject their own. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queue: Queue<SendJobData>;
  /** The tenants' lanes into the send queue (decision 0026): every enqueue, retry and cancel goes through them. */
  lanes: TenantLanes;
  redis: Redis | Cluster;
  box: SecretBox;
  tenantTokens: TenantTokens;
  /** The SSRF guard of tenants' own SMTP servers: on save, on test, and at every connection. */
  smtpHosts: SmtpHostGuard;
  /** The transport modules (packages/transports providers.ts): settings, presentation, transports, webhooks. */
  providers: ProviderRegistry;
  /** Connected mailboxes' access tokens, for the test email. */
  mailboxTokens: MailboxTokens;
  /** Connecting mailboxes with OAuth2 (the start route); offers only the vendors the platform has an app with. */
  oauth: OAuthConnector;
  now: () => Date;
  /** Reads batch enqueue bodies off the event loop (BATCH_READ_THREADS, decision 0050). */
  batchBodies: BatchBodyReader;
  /** Status callbacks to the platform: `callbacks.publisher.publish(events)`, the queue, /ops/callbacks. */
  callbacks?: Callbacks;
  /** Told when things happen (metrics). */
  observer?: ApiObserver;
}
