import type { ProviderName } from '@mailroom/domain';
import { Counter, Registry } from 'prom-client';

export const WEBHOOK_RESULTS = ['recorded', 'duplicate', 'unknown_email', 'refused'] as const;
export type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

/** The webhooks app's count of providers' events, by what became of them. */
export class WebhookMetrics {
  private readonly events: Counter<'provider' | 'result'>;

  /** `providerNames`: the transport registry's providers with webhooks, each starting at zero. */
  constructor(registry: Registry, providerNames: readonly ProviderName[]) {
    this.events = new Counter({
      name: 'mailroom_webhook_events_total',
      help: 'Provider webhook events: recorded in the history, duplicate (changed nothing), unknown_email (not an email of that tenant), refused (whole requests: unverified, replayed, unreadable or not configured).',
      labelNames: ['provider', 'result'],
      registers: [registry],
    });
    for (const provider of providerNames) for (const result of WEBHOOK_RESULTS) this.events.inc({ provider, result }, 0);
  }

  /** A verified request's events were written (or found to change nothing, or to be for no email of the tenant). */
  webhookProcessed(provider: ProviderName, outcome: { applied: number; duplicates: number; unknown: number }): void {
    // Every series exists from the start (at zero): adding nothing is skipped, most posts have one outcome.
    if (outcome.applied > 0) this.events.inc({ provider, result: 'recorded' }, outcome.applied);
    if (outcome.duplicates > 0) this.events.inc({ provider, result: 'duplicate' }, outcome.duplicates);
    if (outcome.unknown > 0) this.events.inc({ provider, result: 'unknown_email' }, outcome.unknown);
  }

  /** A request was refused before any of its events were read: each refusal counts once. */
  webhookRefused(provider: ProviderName): void {
    this.events.inc({ provider, result: 'refused' });
  }
}
