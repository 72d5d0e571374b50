import { Admission, sendJobOptionsFor } from '@mailroom/queue';
import { withinMs } from '@mailroom/runtime';
import type { ApiDeps } from '../api-deps';

/**
 * The API's way into the send queue (decision 0026): the emails of one tenant enter its lane. As many
 * as its free slots (TENANT_MAX_IN_FLIGHT) get their jobs now, in one bulk add; the rest wait in the
 * tenant's backlog in Redis, still `queued`, and get their jobs as slots free. One call takes any
 * number of ids (the single enqueue passes one, a batch many), bounded by ENQUEUE_TIMEOUT_MS.
 * Idempotent per id: an id already admitted has its job added again (a no-op when it exists), one
 * already waiting keeps its place. When it throws, some ids may hold a place: `giveBackLanePlaces`.
 */
export function admitSendJobs(deps: ApiDeps, tenantId: string, emailIds: string[]): Promise<Admission> {
  return withinMs(
    deps.lanes.admitAndEnqueue(deps.queue, tenantId, emailIds, sendJobOptionsFor(deps.config.send)),
    deps.config.timeouts.enqueueMs,
    'the send queue',
  );
}

/**
 * The undo of `admitSendJobs` for emails whose records were removed again: their lane places (a slot or
 * a backlog place) go back, and backlog ids moved into freed slots get their jobs. Best effort and in
 * the background, so the caller's 503 does not wait for it (it stays within ENQUEUE_TIMEOUT_MS); each
 * call is bounded by REDIS_REQUEST_TIMEOUT_MS. When Redis is why the enqueue failed, this fails too,
 * and the worker's sweep (`reconcileLanes`) frees the place later: a job for a removed record ends
 * without sending and gives its slot back. A job that was added after all meets no record either.
 */
export function giveBackLanePlaces(deps: ApiDeps, tenantId: string, emailIds: string[]): void {
  const jobOptionsFor = sendJobOptionsFor(deps.config.send);
  void (async () => {
    for (const emailId of emailIds) {
      await withinMs(
        deps.lanes.releaseAndPromote(deps.queue, tenantId, emailId, jobOptionsFor),
        deps.config.timeouts.redisRequestMs,
        'the tenant lanes',
      ).catch((err: unknown) => deps.logger.warn({ err, tenantId, emailId }, 'could not give the lane place back; the sweep will'));
    }
  })();
}
