import { CALLBACK_OUTCOMES, CallbackObserver, CallbackOutcome } from '@mailroom/callbacks';
import { CALLBACK_EVENT_TYPES, CallbackEventType } from '@mailroom/domain';
import { Counter, Registry } from 'prom-client';

/** The platform callbacks: each delivery attempt by event type and outcome, and events that never reached the queue. */
export class CallbackMetrics implements CallbackObserver {
  private readonly attempts: Counter<'type' | 'outcome'>;
  private readonly unpublished: Counter<'type'>;

  constructor(registry: Registry) {
    this.attempts = new Counter({
      name: 'mailroom_callbacks_total',
      help: 'Callback delivery attempts to the platform by event type and outcome: delivered, retry (will be tried again), failed (given up), disabled (held: callbacks are switched off).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    this.unpublished = new Counter({
      name: 'mailroom_callbacks_unpublished_total',
      help: 'Callback events that could not be put on the callbacks queue (Redis down or slow): lost, and logged.',
      labelNames: ['type'],
      registers: [registry],
    });
    for (const type of CALLBACK_EVENT_TYPES) {
      for (const outcome of CALLBACK_OUTCOMES) this.attempts.inc({ type, outcome }, 0);
      this.unpublished.inc({ type }, 0);
    }
  }

  callbackAttempted(type: CallbackEventType, outcome: CallbackOutcome): void {
    this.attempts.inc({ type, outcome });
  }

  callbackUnpublished(type: CallbackEventType): void {
    this.unpublished.inc({ type });
  }
}
