import { withinMs } from '@mailroom/runtime';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

/**
 * A fixed one-minute window per tenant in Redis, shared by every API instance. Counting and expiring
 * happen in one MULTI, so a key can never be left without its expiry. When Redis does not answer
 * within REDIS_REQUEST_TIMEOUT_MS the test email is refused with a 503 (nothing is stored or sent):
 * a limit that cannot be checked is not skipped, or the test email becomes an open relay.
 */
export async function takeTestEmailToken(deps: Pick<ApiDeps, 'config' | 'redis' | 'logger'>, tenantId: string): Promise<void> {
  const now = Date.now();
  const key = `${deps.config.queuePrefix}:test-email:${tenantId}:${Math.floor(now / 60_000)}`;
  let count: number;
  try {
    const replies = await withinMs(
      deps.redis.multi().incr(key).expire(key, 61).exec(),
      deps.config.timeouts.redisRequestMs,
      'Redis (test-email rate limit)',
    );
    const [error, value] = replies?.[0] ?? [new Error('the transaction was aborted'), undefined];
    if (error) throw error;
    count = Number(value);
  } catch (e) {
    deps.logger.warn({ tenantId, err: (e as Error).message }, 'test-email rate limit unavailable');
    throw new HttpError(
      503,
      'rate_limit_unavailable',
      'the test-email rate limit cannot be checked right now (Redis is not answering); nothing was sent, try again in a moment',
    );
  }
  const limit = deps.config.limits.testEmailsPerMinute;
  if (count > limit) {
    const retryAfter = 60 - Math.floor((now / 1000) % 60);
    throw new HttpError(429, 'rate_limited', `at most ${limit} test emails a minute; try again in ${retryAfter} s`, {
      retryAfterSeconds: retryAfter,
    });
  }
}
