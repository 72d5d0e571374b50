import { DeadlineExceededError } from '@mailroom/runtime';
import type { Cluster, Redis } from 'ioredis';
import { HttpError } from '../http/http-error';

/**
 * Why Redis could not serve an ops read, in the on-call engineer's terms: Redis did not answer within
 * the budget (the `DeadlineExceededError` of a `withinMs(..., 'Redis')`), the request-path connection is
 * down (its state: `reconnecting`, `close`...), or Redis answered with an error (its words).
 */
export function whyRedisFailed(redis: Redis | Cluster, e: unknown): string {
  if (e instanceof DeadlineExceededError) return e.message;
  if (redis.status !== 'ready') return `Redis is not connected (${redis.status})`;
  return `Redis failed: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * The 503 (`queue_unavailable` unless `code` says otherwise) of an ops read that needs Redis: what could not be done, why (above), and
 * what to check. `clustered`: the API was started on REDIS_CLUSTER_NODES rather than REDIS_URL. Names
 * the variable, never its value (REDIS_URL may hold a password).
 */
export function redisUnavailable(problem: string, why: string, clustered: boolean, code = 'queue_unavailable'): HttpError {
  const where = clustered ? 'the Redis Cluster nodes in REDIS_CLUSTER_NODES are' : 'the Redis server at REDIS_URL is';
  return new HttpError(
    503,
    code,
    `${problem}: ${why}. Check that ${where} running and reachable from the API; GET /readyz says when Redis answers again.`,
  );
}
