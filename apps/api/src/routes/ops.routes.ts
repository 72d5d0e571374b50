import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { withinMs } from '@mailroom/runtime';
import { safeEqual } from '@mailroom/security';
import type { ApiDeps } from '../api-deps';
import { authDepsOf, authenticateHeader } from '../http/auth';
import { HttpError } from '../http/http-error';
import { callbacksOpsRoutes } from './callbacks-ops.routes';
import { passDashboardErrorsOn, redisAnswersBeforeDashboardApi, redisFailureUnderDashboardApi } from './dashboard-redis-gate';
import { redisUnavailable, whyRedisFailed } from './redis-unavailable';
import { tenantBacklogsRoutes } from './tenant-backlogs.routes';

const DASHBOARD_PATH = '/ops/dashboard';

/**
 * What the on-call engineer gets with the ops token: queue counts as JSON (for scripts and alerts) and
 * the BullMQ dashboard (bull-board) to inspect and retry jobs. Browsers cannot send a Bearer header,
 * so the dashboard also takes HTTP Basic with any user name and the ops token as the password.
 */
export function opsRoutes(deps: ApiDeps): Router {
  const r = Router();
  const opsOnly = (authorization: string | undefined): boolean => {
    if (!authorization) return false;
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (bearer) return safeEqual(bearer[1], deps.config.opsToken);
    const basic = /^Basic\s+(\S+)$/i.exec(authorization);
    if (!basic) return false;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return safeEqual(decoded.slice(decoded.indexOf(':') + 1), deps.config.opsToken);
  };
  const auth = authDepsOf(deps);
  const clustered = deps.config.redisClusterNodes.length > 0;
  r.use('/ops', (req, res, next) => {
    if (opsOnly(req.headers.authorization)) return next();
    // A platform key or a tenant token is known, only not for these routes: 403, not a login prompt.
    const who = authenticateHeader(req.headers.authorization, auth);
    if ('principal' in who)
      return next(
        new HttpError(
          403,
          'forbidden',
          `ops routes take the ops token, not a ${who.principal.kind === 'platform' ? 'platform key' : 'tenant token'}`,
        ),
      );
    res.setHeader('WWW-Authenticate', 'Basic realm="mailroom ops", charset="UTF-8"');
    next(new HttpError(401, 'unauthenticated', 'ops routes take the ops token (Bearer, or Basic with the token as password)'));
  });

  r.get('/ops/queues', async (_req, res) => {
    // BullMQ 6 has no 'paused' state: a paused queue keeps its jobs waiting, and says so itself.
    // `lanes`: the tenant lanes into the send queue (decision 0026), totals only, never a tenant id.
    const [counts, paused, workers, lanes] = await withinMs(
      Promise.all([
        deps.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'),
        deps.queue.isPaused(),
        deps.queue.getWorkersCount(),
        deps.lanes.stats(),
      ]),
      deps.config.timeouts.redisRequestMs,
      'Redis',
    ).catch((e: unknown) => {
      throw redisUnavailable('the send queue cannot be read right now', whyRedisFailed(deps.redis, e), clustered);
    });
    res.json({ queues: [{ name: deps.queue.name, paused, counts, workers, lanes }] });
  });

  r.use(tenantBacklogsRoutes(deps));
  r.use(callbacksOpsRoutes(deps));

  const board = new ExpressAdapter();
  board.setBasePath(DASHBOARD_PATH);
  const queues = [deps.queue, ...(deps.callbacks ? [deps.callbacks.queue] : [])];
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: board });
  passDashboardErrorsOn(board);
  // Its JSON API needs Redis; its page does not (static, so it still loads and shows the 503).
  const dashboardRedis = { redis: deps.redis, budgetMs: deps.config.timeouts.redisRequestMs, clustered };
  r.use(`${DASHBOARD_PATH}/api`, redisAnswersBeforeDashboardApi(dashboardRedis));
  r.use(DASHBOARD_PATH, board.getRouter());
  r.use(`${DASHBOARD_PATH}/api`, redisFailureUnderDashboardApi(dashboardRedis));
  return r;
}
