import { Router } from 'express';
import { withinMs } from '@mailroom/runtime';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { parseOr400 } from '../http/validate';
import { emailIdTime } from '../use-cases/new-email-record';
import { redisUnavailable, whyRedisFailed } from './redis-unavailable';

const TENANT_BACKLOGS_MAX_LIMIT = 200;

const backlogsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(TENANT_BACKLOGS_MAX_LIMIT, `limit is at most ${TENANT_BACKLOGS_MAX_LIMIT}`)
    .default(20),
});

/**
 * GET /ops/tenant-backlogs (behind the ops token, like every /ops route): which tenants' emails wait
 * in their lanes (decision 0026), the largest backlogs first, at most `limit` of them. Each with its
 * slots (`admitted` of `maxInFlight`, `delayed` of those asleep in BullMQ: its sending limit or a
 * retry's backoff) and how long its oldest email has waited. Read from the lanes' own index in one
 * script, within REDIS_REQUEST_TIMEOUT_MS. Tenant ids stay out of the metrics (unbounded labels):
 * this is where the on-call engineer finds them.
 */
export function tenantBacklogsRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get('/ops/tenant-backlogs', async (req, res) => {
    const { limit } = parseOr400(backlogsQuerySchema, req.query, 'query');
    const { tenantsWithBacklog, tenants } = await withinMs(
      deps.lanes.backlogsByTenant(deps.queue, limit),
      deps.config.timeouts.redisRequestMs,
      'Redis',
    ).catch((e: unknown) => {
      throw redisUnavailable(
        'the tenant lanes cannot be read right now',
        whyRedisFailed(deps.redis, e),
        deps.config.redisClusterNodes.length > 0,
      );
    });
    const now = deps.now().getTime();
    res.json({
      queue: deps.queue.name,
      tenantsWithBacklog,
      limit,
      tenants: tenants.map((t) => {
        const since = t.oldestWaitingId === null ? null : emailIdTime(t.oldestWaitingId);
        return {
          tenantId: t.tenantId,
          backlog: t.backlog,
          admitted: t.admitted,
          delayed: t.delayed,
          maxInFlight: deps.lanes.maxInFlight,
          oldestWaitingEmailId: t.oldestWaitingId,
          oldestWaitingSince: since === null ? null : new Date(since).toISOString(),
          oldestWaitingMs: since === null ? null : Math.max(0, now - since),
        };
      }),
    });
  });
  return r;
}
