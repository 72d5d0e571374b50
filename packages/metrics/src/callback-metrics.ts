import { CALLBACK_OUTCOMES, CallbackObserver, CallbackOutcome, CallbackPublishObserver } from '@mailroom/callbacks';
import { CALLBACK_EVENT_TYPES, CallbackEventType } from '@mailroom/domain';
import { Counter, Registry } from 'prom-client';

/** Callback events that never reached the queue: every app publishes them (the API, the webhooks app, the worker). */
export class CallbackPublishMetrics implements CallbackPublishObserver {
  private readonly unpublished: Counter<'type'>;

  constructor(registry: Registry) {
    this.unpublished = new Counter({
      name: 'mailroom_callbacks_unpublished_total',
      help: 'Callback events that could not be put on the callbacks queue (Redis down or slow): lost, and logged.',
      labelNames: ['type'],
      registers: [registry],
    });
    for (const type of CALLBACK_EVENT_TYPES) this.unpublished.inc({ type }, 0);
  }

  callbackUnpublished(type: CallbackEventType): void {
    this.unpublished.inc({ type });
  }
}

/**
 * The worker's: it publishes events and delivers the callbacks, so beside the unpublished events it
 * counts each delivery attempt by event type and outcome. Only the worker exposes the attempts: an
 * app that never delivers would show a series that stays 0 for ever.
 */
export class CallbackMetrics extends CallbackPublishMetrics implements CallbackObserver {
  private readonly attempts: Counter<'type' | 'outcome'>;

  constructor(registry: Registry) {
    super(registry);
    this.attempts = new Counter({
      name: 'mailroom_callbacks_total',
      help: 'Callback delivery attempts to the platform by event type and outcome: delivered, retry (will be tried again), failed (given up), disabled (held: callbacks are switched off).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    for (const type of CALLBACK_EVENT_TYPES) for (const outcome of CALLBACK_OUTCOMES) this.attempts.inc({ type, outcome }, 0);
  }

  callbackAttempted(type: CallbackEventType, outcome: CallbackOutcome): void {
    this.attempts.inc({ type, outcome });
  }
}
