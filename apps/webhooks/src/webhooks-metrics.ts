import type { Config } from '@mailroom/config';
import type { ProviderName } from '@mailroom/domain';
import { AppMetrics, WebhookMetrics } from '@mailroom/metrics';
import type { Logger } from 'pino';
import type { RecordOutcome } from './receivers/record-provider-events';

/** What the webhooks app reports as providers' requests arrive (metrics today). Optional in WebhooksDeps. */
export interface WebhookObserver {
  /** A verified request's events were recorded, found duplicate, or found to be for no email of the tenant. */
  webhookProcessed(provider: ProviderName, outcome: RecordOutcome): void;
  /** A request was refused before its events were read: not configured, not verified, replayed or unreadable. */
  webhookRefused(provider: ProviderName): void;
}

/** The webhooks app's metrics, served on GET /metrics with the ops token. It holds no queue today. */
export function createWebhooksMetrics(
  config: Config,
  logger: Logger,
  providerNames: readonly ProviderName[],
): { metrics: AppMetrics; observer: WebhookObserver } {
  const metrics = new AppMetrics('webhooks', { opsToken: config.opsToken, logger });
  return { metrics, observer: new WebhookMetrics(metrics.registry, providerNames) };
}
