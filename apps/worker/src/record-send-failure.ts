import { UnrecoverableError } from 'bullmq';
import {
  applySendFailure,
  DeliveryError,
  EffectiveSettings,
  EmailRecord,
  hintAfterLastAttempt,
  recordedHint,
  RecordedHint,
  refusedForNow,
  remembersFailureOnSettings,
} from '@mailroom/domain';
import type { Logger } from 'pino';
import { decideAfterFailure, RetryScheduledError } from './after-failure';
import type { SendAttempt } from './deliver-email';
import type { WorkerDeps } from './worker-deps';

/*
 * What follows a send attempt that did not simply succeed, for deliverEmail: the failure recorded with
 * the next step BullMQ takes (after-failure.ts decides it), and the retry of recipients refused for now.
 */

/** A recipient the server refused for now (4xx) is tried again alone, while attempts are left: when, or undefined. */
export function retryOfRefusedForNow(
  deps: WorkerDeps,
  job: SendAttempt,
  email: EmailRecord,
  result: { recipients: Parameters<typeof refusedForNow>[0][] },
): { inMs: number; at: string } | undefined {
  if (!result.recipients.some(refusedForNow)) return undefined;
  const nowMs = deps.now().getTime();
  const next = decideAfterFailure({ retryable: true }, failureContext(deps, job, email, nowMs));
  return next.kind === 'retry' ? { inMs: next.delayMs, at: new Date(nowMs + next.delayMs).toISOString() } : undefined;
}

/** What decides the next try after a failure: the job's attempts, the email's age and its rate-limited tries. */
function failureContext(deps: WorkerDeps, job: SendAttempt, email: EmailRecord, nowMs: number) {
  return {
    made: job.made,
    max: job.max,
    nowMs,
    createdAtMs: Date.parse(email.createdAt),
    rateLimitGraceMs: deps.config.send.rateLimitGraceMs,
    backoff: { baseMs: deps.config.send.retryBaseMs, maxMs: deps.config.send.retryMaxMs },
    rateLimitedSoFar: email.attempts.filter((a) => a.rateLimited).length,
  };
}

/** Records the failed attempt and hands BullMQ what follows: a deferral, a retry at the recorded time, or the end. */
export async function recordSendFailure(
  deps: WorkerDeps,
  job: SendAttempt,
  email: EmailRecord,
  err: DeliveryError,
  durationMs: number,
  effective: EffectiveSettings | undefined,
  log: Logger,
): Promise<never> {
  const { tenantId, emailId } = job.data;
  const nowMs = deps.now().getTime();
  const at = new Date(nowMs).toISOString();
  const next = decideAfterFailure(err, failureContext(deps, job, email, nowMs));
  // Giving up on a temporary failure: the hint no longer promises the retry, it says how to ask for one.
  const hint =
    next.kind === 'give_up' && err.retryable
      ? hintAfterLastAttempt(err, job.made + 1, `/v1/tenants/${tenantId}/emails/${emailId}/retry`)
      : recordedHint(err);
  const failure = {
    code: err.code,
    retryable: err.retryable,
    responseCode: err.responseCode,
    response: err.response ?? err.message,
    ...hint,
    ...(err.rateLimited ? { rateLimited: true } : {}),
    durationMs,
  };
  const nextAttemptAt =
    next.kind === 'defer'
      ? new Date(next.untilMs).toISOString()
      : next.kind === 'retry'
        ? new Date(nowMs + next.delayMs).toISOString()
        : undefined;
  await deps.store.emails.update(tenantId, emailId, (rec) => applySendFailure(rec, failure, at, next.kind === 'give_up', nextAttemptAt));
  // A rate-limit deferral uses no attempt, like the tenant's own limits: the metric counts it as `deferred`.
  deps.observer?.sendAttempted(email, effective?.settings, next.kind === 'defer' ? 'deferred' : next.kind === 'retry' ? 'retry' : 'failed');
  log.warn(
    {
      code: err.code,
      responseCode: err.responseCode,
      retryable: err.retryable,
      rateLimited: err.rateLimited,
      next: next.kind,
      nextAttemptAt,
    },
    'send failed',
  );

  // Remembered at once, retried or not (a 403 that may be a block is told at its first refusal).
  if (effective?.configured && !effective.fallback && remembersFailureOnSettings(err, effective.settings.mode))
    await recordSettingsFailure(deps, tenantId, err, hint, at);
  if (next.kind === 'defer') return job.defer(next.untilMs);
  if (next.kind === 'retry') throw new RetryScheduledError(`${err.code}: ${err.message}`, next.delayMs);
  if (!err.retryable) deps.transports.evict(tenantId);
  // Recorded as failed: BullMQ must not try again whatever attempts it thinks are left.
  throw new UnrecoverableError(`${err.code}: ${err.message}`);
}

/**
 * A permanent failure (or a temporary one that is the settings', remembersFailureOnSettings), remembered on the settings: the transport's module turns it into advice (an app
 * password, reconnecting an OAuth mailbox: `oauth_reconnect_required`), and the next success clears
 * it. The one place a tenant's own sending is found broken: this update is what the store turns into
 * the `settings.failing` callback (the domain's settingsFailingReason says which codes do). Never a
 * switch to another transport.
 */
async function recordSettingsFailure(
  deps: WorkerDeps,
  tenantId: string,
  err: DeliveryError,
  hint: RecordedHint,
  at: string,
): Promise<void> {
  await deps.store.settings.update(tenantId, (s) => ({
    ...s,
    // The attempt's own hint: a retried refusal's promises the retry, the last attempt's says it is over.
    lastFailure: { at, code: err.code, response: err.response, responseCode: err.responseCode, ...hint },
  }));
}
