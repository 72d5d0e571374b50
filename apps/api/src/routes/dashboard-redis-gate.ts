import { withinMs } from '@mailroom/runtime';
import type { RequestHandler } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { HttpError } from '../http/http-error';
import { redisUnavailable, whyRedisFailed } from './redis-unavailable';

/** How the dashboard's JSON API reaches Redis: the request-path connection, within `budgetMs`. */
export interface DashboardRedis {
  redis: Redis | Cluster;
  budgetMs: number;
  /** Started on REDIS_CLUSTER_NODES rather than REDIS_URL (what the 503 tells to check). */
  clustered: boolean;
}

/**
 * In front of bull-board's JSON API (/ops/dashboard/api/...), which reads Redis on every call: with
 * Redis away, bull-board answers 500 "Stream isn't writeable..." (known down) or waits for ioredis's
 * commandTimeout (frozen). This answers what every other /ops route does instead (decision 0015):
 * 503 `queue_unavailable` naming Redis, at once when the request-path connection is not ready, and
 * within `budgetMs` when Redis does not answer a PING. The dashboard's page is static and is not
 * behind this, so it still loads and shows the error.
 */
export function redisAnswersBeforeDashboardApi(r: DashboardRedis): RequestHandler {
  return async (_req, _res, next) => {
    next((await redisFailure(r)) ?? undefined);
  };
}

/** The 503 when Redis is not connected or does not answer a PING within the budget; null when it answers. */
async function redisFailure({ redis, budgetMs, clustered }: DashboardRedis): Promise<HttpError | null> {
  const unavailable = (why: string) => redisUnavailable('the ops dashboard cannot read the queues right now', why, clustered);
  if (redis.status !== 'ready') return unavailable(`Redis is not connected (${redis.status})`);
  try {
    await withinMs(redis.ping(), budgetMs, 'Redis');
    return null;
  } catch (e) {
    return unavailable(whyRedisFailed(redis, e));
  }
}
