import type { DeliveryError } from '@mailroom/domain';
import { jitteredBackoff, type RetryBackoff } from '@mailroom/queue';

/**
 * What follows a failed send, decided on the error's fields alone (never its words):
 * - `defer`: the provider says we are over its rate (`rateLimited`): sleep until its Retry-After (or
 *   our backoff, by how many times it said so) WITHOUT using up an attempt, for as long as the email
 *   is younger than RATE_LIMIT_GRACE_MS; after that a rate limit counts as an ordinary attempt, so an
 *   account that is throttled for days still ends `failed` (decision 0013);
 * - `retry`: temporary, attempts left: BullMQ retries after `delayMs`, which the history shows as the
 *   next try (the worker hands this exact delay to BullMQ's backoff);
 * - `give_up`: permanent, or the last attempt.
 */
export type AfterFailure = { kind: 'defer'; untilMs: number } | { kind: 'retry'; delayMs: number } | { kind: 'give_up' };

export interface FailureContext {
  /** Attempts BullMQ already counted (job.attemptsMade), and allowed. */
  made: number;
  max: number;
  nowMs: number;
  createdAtMs: number;
  rateLimitGraceMs: number;
  backoff: RetryBackoff;
  /** Rate-limited attempts already in the history: the backoff of a rate limit without Retry-After grows with them. */
  rateLimitedSoFar: number;
  random?: () => number;
}

export function decideAfterFailure(
  err: Pick<DeliveryError, 'retryable' | 'rateLimited' | 'retryAfterMs'>,
  ctx: FailureContext,
): AfterFailure {
  if (!err.retryable) return { kind: 'give_up' };
  if (err.rateLimited && ctx.nowMs - ctx.createdAtMs < ctx.rateLimitGraceMs) {
    const waitMs = jitteredBackoff(ctx.rateLimitedSoFar + 1, ctx.backoff, err, ctx.random);
    return { kind: 'defer', untilMs: ctx.nowMs + waitMs };
  }
  if (ctx.made + 1 >= ctx.max) return { kind: 'give_up' };
  return { kind: 'retry', delayMs: jitteredBackoff(ctx.made + 1, ctx.backoff, err, ctx.random) };
}

/**
 * Thrown by the worker once it recorded a retry: BullMQ's backoff strategy reads `retryAfterMs`
 * (jitteredBackoff lets it win), so the next try happens exactly when the history says.
 */
export class RetryScheduledError extends Error {
  override readonly name = 'RetryScheduledError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
