import type { EmailRecord } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { admitSendJobs, giveBackLanePlaces } from './admit-send-jobs';
import { planReplay } from './replay-of-key';

/**
 * The enqueue protocol for a record and its job (decision 0014). The record is created carrying
 * `pendingEnqueue: { owner, since }`; the request that owns it admits the email into its tenant's lane
 * (its job is added, or it waits in the tenant's backlog: decision 0026) and then commits (drops the
 * mark, one small write), or, when that fails, removes the record only while it is still pending
 * under its own name, and gives the lane place back. Meanwhile a replay of the same Idempotency-Key
 * answers 409 "in progress", never a 202 for a record that may yet be removed. A pending record whose
 * owner went silent (the process died) is taken over by the next replay after `abandonedAfterMs`.
 */

const withoutMark = ({ pendingEnqueue: _mark, ...email }: EmailRecord): EmailRecord => email;

/**
 * Admits a record pending under `owner` (its job added, or a place in its tenant's backlog), then
 * commits it; or undoes it and answers 503. The lane place goes back only once the record is surely
 * removed: when the removal is refused, the email lives on (a worker took its job, or a replay took
 * the record over and admits it again, which is idempotent), and its place is still in use.
 */
export async function addJobThenCommit(deps: ApiDeps, email: EmailRecord, owner: string): Promise<EmailRecord> {
  const { tenantId, id } = email;
  try {
    await admitSendJobs(deps, tenantId, [id]);
  } catch (e) {
    deps.logger.error({ err: e, tenantId, emailId: id }, 'could not enqueue; removing the record');
    if (await deps.store.emails.removePendingEnqueue(tenantId, id, owner)) {
      giveBackLanePlaces(deps, tenantId, [id]);
      throw new HttpError(503, 'queue_unavailable', 'the send queue is unavailable; nothing was stored, retry the request');
    }
    // Not removed: a worker already took the job (the add did succeed, late) and committed the record.
    const now = await deps.store.emails.get(tenantId, id);
    if (now && !now.pendingEnqueue) return now;
    throw new HttpError(503, 'queue_unavailable', 'the send queue is unavailable; retry the request with the same Idempotency-Key');
  }
  // False only when a worker committed it first (it already runs the job): the record stays either way.
  await deps.store.emails.commitPendingEnqueue(tenantId, id, owner);
  return withoutMark(email);
}

/**
 * A replay of an Idempotency-Key: the same body gets the same email; a different body is refused;
 * a first request still in progress answers 409 (retry shortly); an abandoned one is taken over
 * (the rules: replay-of-key.ts, shared with the batch enqueue).
 */
export async function answerReplay(
  deps: ApiDeps,
  email: EmailRecord,
  replay: { hash: string; idempotencyKey?: string; owner: string },
): Promise<{ email: EmailRecord; created: boolean }> {
  const plan = await planReplay(deps, email, replay);
  if (plan.kind === 'take-over') return { email: await addJobThenCommit(deps, plan.email, replay.owner), created: false };
  if (plan.kind === 're-add') {
    // The job may be missing (a Redis restart): admitting again is a no-op when it exists or waits in the backlog.
    await admitSendJobs(deps, email.tenantId, [email.id]).catch((e: unknown) =>
      deps.logger.warn({ err: e, emailId: email.id }, 'replay could not re-add the job; the sweep will'),
    );
  }
  return { email, created: false };
}
