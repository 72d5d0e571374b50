import { CancelOutcome, sendJobOptionsFor } from '@mailroom/queue';
import type { ApiDeps } from '../api-deps';

/**
 * Takes a canceled email out of its tenant's lane (decision 0026) and its job out of the send queue
 * (`lanes.cancel`): `removed-from-backlog` when it still waited for a slot (it never had a job);
 * `removed-from-queue` when its job waited (waiting, delayed for a retry or a rate limit, prioritized),
 * its slot then going to the tenant's next email; `in-flight` when a worker holds it right now (BullMQ
 * refuses to remove a locked job, so a worker can never take a job this removed), or it was admitted
 * a moment ago and its job is still being added; `not-found` when there is none (lost with Redis; the
 * sweep would re-add it, and the worker then finds the email canceled). A finished job (completed,
 * failed) is removed too: harmless, the record decides whether it was sent. This goes first, the
 * record second (decision 0035).
 */
export function withdrawSendJob(deps: ApiDeps, tenantId: string, emailId: string): Promise<CancelOutcome> {
  return deps.lanes.cancel(deps.queue, tenantId, emailId, sendJobOptionsFor(deps.config.send));
}
