import express, { Router } from 'express';
import { withinMs } from '@mailroom/runtime';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { redisUnavailable, whyRedisFailed } from './redis-unavailable';

const switchSchema = z.strictObject({ enabled: z.boolean({ error: 'enabled must be true or false' }) });

/**
 * /ops/callbacks (behind the ops token, like every /ops route): GET shows whether callbacks are on,
 * how many events wait (while off: how many are kept), the queue counts and the last error; POST
 * `{ "enabled": true }` switches them on again after a 410 (`false` switches them off by hand).
 */
export function callbacksOpsRoutes(deps: ApiDeps): Router {
  const r = Router();
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!deps.callbacks) throw new HttpError(404, 'not_found', 'callbacks are not available on this instance');
    try {
      return await withinMs(work(), deps.config.timeouts.enqueueMs, 'Redis');
    } catch (e) {
      deps.logger.error({ err: e }, 'callbacks state not readable');
      const clustered = deps.config.redisClusterNodes.length > 0;
      throw redisUnavailable(
        'the callbacks queue cannot be read right now',
        whyRedisFailed(deps.redis, e),
        clustered,
        'callbacks_unavailable',
      );
    }
  };

  r.get('/ops/callbacks', async (_req, res) => {
    res.json(await bounded(() => deps.callbacks!.control.status()));
  });

  r.post('/ops/callbacks', express.json({ limit: '1kb', strict: true }), async (req, res) => {
    const { enabled } = parseOr400(switchSchema, req.body);
    const status = await bounded(() => deps.callbacks!.control.setEnabled(enabled, deps.now().toISOString()));
    deps.logger.warn({ enabled }, enabled ? 'callbacks switched on by ops' : 'callbacks switched off by ops');
    res.json(status);
  });
  return r;
}
