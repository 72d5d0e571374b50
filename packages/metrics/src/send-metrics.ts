import type { EmailRecord, EmailSettings, ProviderName } from '@mailroom/domain';
import { Counter, Histogram, Registry } from 'prom-client';
import { allTransportLabels, TransportLabels, transportLabels } from './transport-labels';

/** How one send attempt ended: `deferred` is our own throttle (the tenant's limits), not a failure. */
export const SEND_OUTCOMES = ['accepted', 'retry', 'failed', 'deferred'] as const;
export type SendOutcome = (typeof SEND_OUTCOMES)[number];

/** SMTP conversations take 0.2-3 s, HTTP APIs 0.1-1 s; the tail reaches the 15 s / 60 s timeouts. */
export const SEND_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30, 60];
/** From seconds (the 2 s promise to a small tenant under a burst) to hours (retries with backoff). */
export const ENQUEUE_TO_ACCEPTED_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600];

/** The worker's sending metrics: every attempt by outcome, each transport call's time, enqueue to accepted. */
export class SendMetrics {
  private readonly attempts: Counter<'mode' | 'provider' | 'outcome'>;
  private readonly sendDuration: Histogram<'mode' | 'provider'>;
  private readonly enqueueToAccepted: Histogram<'mode' | 'provider'>;

  constructor(
    registry: Registry,
    /** The transport registry's provider names: each starts at zero. */
    providerNames: readonly ProviderName[],
    private readonly now: () => number = Date.now,
  ) {
    this.attempts = new Counter({
      name: 'mailroom_send_attempts_total',
      help: 'Send attempts by how they ended: accepted, retry (will be tried again), failed (for good), deferred (held back by our own limits).',
      labelNames: ['mode', 'provider', 'outcome'],
      registers: [registry],
    });
    this.sendDuration = new Histogram({
      name: 'mailroom_send_duration_seconds',
      help: 'Time of one transport call (SMTP conversation or provider API request), whatever its outcome.',
      labelNames: ['mode', 'provider'],
      buckets: SEND_DURATION_BUCKETS,
      registers: [registry],
    });
    this.enqueueToAccepted = new Histogram({
      name: 'mailroom_enqueue_to_accepted_seconds',
      help: "From the email's creation (enqueue) to its acceptance by the server or provider, retries included.",
      labelNames: ['mode', 'provider'],
      buckets: ENQUEUE_TO_ACCEPTED_BUCKETS,
      registers: [registry],
    });
    for (const labels of allTransportLabels(providerNames))
      for (const outcome of SEND_OUTCOMES) this.attempts.inc({ ...labels, outcome }, 0);
  }

  /**
   * One attempt ended. The labels are those of the settings it was sent with, or of the email's own
   * record when there were none (a tenant without settings still counts, as a failure).
   */
  sendAttempted(
    email: Pick<EmailRecord, 'transport' | 'createdAt'>,
    settings: Pick<EmailSettings, 'mode' | 'provider'> | null | undefined,
    outcome: SendOutcome,
  ): void {
    const labels = transportLabels(settings ?? email.transport);
    this.attempts.inc({ ...labels, outcome });
    if (outcome === 'accepted') this.enqueueToAccepted.observe(labels, Math.max(0, this.now() - Date.parse(email.createdAt)) / 1000);
  }

  /** One transport call took `seconds`; the labels are those of the settings it was made for. */
  transportCallTook(labels: TransportLabels, seconds: number): void {
    this.sendDuration.observe({ ...labels }, seconds);
  }
}
