import type { CallbackEventType } from '@mailroom/domain';

/**
 * How an attempt ended: `delivered`; `retry` (it will be tried again); `failed` (given up: a final
 * answer, or the last attempt); `disabled` (not delivered because callbacks are switched off, the
 * 410 that switched them off included; the event is kept).
 */
export type CallbackOutcome = 'delivered' | 'retry' | 'failed' | 'disabled';
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['delivered', 'retry', 'failed', 'disabled'];

/** Told as an app publishes callback events (metrics): every app that changes an email does. */
export interface CallbackPublishObserver {
  /** An event could not be put on the queue (Redis down or slow): it is lost, and logged. */
  callbackUnpublished(type: CallbackEventType): void;
}

/** Told as callbacks happen (metrics), in the worker, which also delivers them. Optional everywhere: nothing depends on being observed. */
export interface CallbackObserver extends CallbackPublishObserver {
  callbackAttempted(type: CallbackEventType, outcome: CallbackOutcome): void;
}
