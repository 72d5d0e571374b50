import {
  deferForSendingLimit,
  describeLimit,
  EffectiveSettings,
  EmailRecord,
  recipientAwaitsSend,
  SENDING_LIMIT_FIELDS,
  SendingLimitField,
} from '@mailroom/domain';
import { effectiveLimitsOf } from '@mailroom/transports';
import type { Logger } from 'pino';
import type { SendAttempt } from './deliver-email';
import type { WorkerDeps } from './worker-deps';

const FIELD_OF_WINDOW: Record<string, SendingLimitField> = { minute: 'perMinute', hour: 'perHour', day: 'perDay' };

/**
 * The tenant's own sending limits (decision 0030), before anything is marked sending: the send takes
 * one per recipient still waiting from every window, counted in Redis and shared by all workers. Over
 * a limit, the recipients are recorded `deferred` with the time of the next try (the store's update
 * gives the `email.deferred` callback), the metric counts a `deferred` attempt, and the job sleeps until
 * then without using up an attempt: nothing fails because of our own throttle. The job keeps its lane
 * slot meanwhile. Returns when the send may go; never returns otherwise.
 */
export async function takeFromSendingLimits(
  deps: WorkerDeps,
  job: SendAttempt,
  email: EmailRecord,
  effective: EffectiveSettings,
  log: Logger,
): Promise<void> {
  const own = effectiveLimitsOf(deps.providers, effective.settings);
  if (!own || SENDING_LIMIT_FIELDS.every((f) => own.limits[f] === undefined)) return;
  const cost = Math.max(1, email.recipients.filter((r) => recipientAwaitsSend(r, email)).length);
  const nowMs = deps.now().getTime();
  const taken = await deps.limiter.tryTake(email.tenantId, own.limits, nowMs, cost);
  if (taken.ok) return;

  const field = FIELD_OF_WINDOW[taken.window];
  const limit = field ? describeLimit(field, own.limits[field]!) : taken.window;
  const nextAttemptAt = new Date(taken.retryAtMs).toISOString();
  const reason = `the tenant's sending limit (${limit}) is reached: the next try is at ${nextAttemptAt}`;
  const at = new Date(nowMs).toISOString();
  const deferred = await deps.store.emails.update(email.tenantId, email.id, (e) => deferForSendingLimit(e, at, nextAttemptAt, reason));
  deps.observer?.sendAttempted(deferred ?? email, effective.settings, 'deferred');
  log.info({ limit, cost, nextAttemptAt, from: field ? own.from[field] : undefined }, 'over the sending limit: deferred');
  return job.defer(taken.retryAtMs);
}
