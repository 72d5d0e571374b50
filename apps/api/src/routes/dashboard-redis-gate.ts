import { errorHandler as bullBoardAnswer } from '@bull-board/api/dist/handlers/error.js';
import type { ExpressAdapter } from '@bull-board/express';
import { withinMs } from '@mailroom/runtime';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { HttpError } from '../http/http-error';
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

/**
 * Redis can still go away after that PING, before or during bull-board's own calls. bull-board answers
 * its errors itself (its 500 with the client's words); `passDashboardErrorsOn` makes it hand them to
 * the Express chain instead (Express passes on what an error handler throws), where this asks Redis
 * again: down or silent, the same 503 as the gate; answering, the error was not Redis's and goes on to
 * the app's error handler (a 500, logged).
 */
export function redisFailureUnderDashboardApi(r: DashboardRedis): ErrorRequestHandler {
  return async (err, _req, _res, next) => {
    // The gate's own 503 (or any answer of ours) is already what to say.
    if (err instanceof HttpError) return next(err);
    next((await redisFailure(r)) ?? err);
  };
}

/**
 * bull-board's server errors leave its router for the Express chain (redisFailureUnderDashboardApi,
 * then the app's handler); a request it could not read (its body parser's 4xx) keeps its own answer.
 */
export function passDashboardErrorsOn(board: ExpressAdapter): void {
  board.setErrorHandler((error) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status < 500) return bullBoardAnswer(error);
    throw error;
  });
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
