import { SENDING_MODES, type EmailRecord } from '@mailroom/domain';
import { Counter, Registry } from 'prom-client';

/** The API's count of emails it accepted into the queue. */
export class EnqueueMetrics {
  private readonly enqueued: Counter<'mode'>;

  constructor(registry: Registry) {
    this.enqueued = new Counter({
      name: 'mailroom_emails_enqueued_total',
      help: 'Emails accepted by the API and queued, by sending mode; idempotent replays are not counted again, nor an email whose every recipient is on the suppression list (no job).',
      labelNames: ['mode'],
      registers: [registry],
    });
    for (const mode of SENDING_MODES) this.enqueued.inc({ mode }, 0);
  }

  /** A new email (not a replay) was stored: counted when it was queued, not when every recipient was suppressed. */
  emailEnqueued(email: Pick<EmailRecord, 'transport' | 'status'>): void {
    if (email.status === 'suppressed') return;
    this.enqueued.inc({ mode: email.transport.mode });
  }
}
