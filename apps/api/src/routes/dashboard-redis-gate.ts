import { DeadlineExceededError, withinMs } from '@mailroom/runtime';
import type { RequestHandler } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { HttpError } from '../http/http-error';

/**
 * In front of bull-board's JSON API (/ops/dashboard/api/...), which reads Redis on every call: with
 * Redis away, bull-board answers 500 "Stream isn't writeable..." (known down) or waits for ioredis's
 * commandTimeout (frozen). This answers what every other /ops route does instead (decision 0015):
 * 503 `queue_unavailable` naming Redis, at once when the request-path connection is not ready, and
 * within `budgetMs` when Redis does not answer a PING. The dashboard's page is static and is not
 * behind this, so it still loads and shows the error.
 */
export function redisAnswersBeforeDashboardApi(redis: Redis | Cluster, budgetMs: number): RequestHandler {
  return async (_req, _res, next) => {
    if (redis.status !== 'ready') return next(dashboardUnavailable(`Redis is not connected (${redis.status})`));
    try {
      await withinMs(redis.ping(), budgetMs, 'Redis');
    } catch (e) {
      return next(dashboardUnavailable(e instanceof DeadlineExceededError ? e.message : `Redis failed: ${(e as Error).message}`));
    }
    next();
  };
}

function dashboardUnavailable(why: string): HttpError {
  return new HttpError(503, 'queue_unavailable', `the ops dashboard cannot read the queues right now: ${why}`);
}
