import { randomUUID } from 'node:crypto';
import { awaitsSend, createdEmailCallbackEvents, EmailRecord, effectiveSettings, Tenant } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { admitSendJobs, giveBackLanePlaces } from './admit-send-jobs';
import { BatchBodyReading, recordBatchItems, toHttpError } from './batch-items';
import { planReplay } from './replay-of-key';
import { screenSuppressedAtEnqueueMany } from './screen-suppressed-at-enqueue';

/** One item's outcome, at its index: the email (created now, or the one its key already held), or its error. */
export type BatchOutcome = { index: number; email: EmailRecord; created: boolean } | { index: number; error: HttpError };

/** An email whose job this request adds, pending under its owner: new, or an abandoned enqueue taken over. */
interface Start {
  index: number;
  email: EmailRecord;
  created: boolean;
}

/**
 * The batch enqueue: every item goes the way one enqueue goes (enqueue-email.ts, decision 0014), with
 * the I/O done once for all of them: the suppression list in one query, the records and contents in
 * one store call (`createMany`: one transaction in SQLite), the jobs in one bulk add, the callbacks in
 * one publish. Each item's key keeps its own idempotency: a replayed batch answers the same emails and
 * adds no second job (jobId = email id), an item whose first request is still in progress answers 409
 * `idempotency_key_in_progress` for that item alone. The 202-only-when-stored rule holds per item: an
 * item whose job could not be added has its record removed (only while still pending under this
 * request) and answers 503 `queue_unavailable`.
 */
export async function enqueueBatch(
  deps: ApiDeps,
  tenant: Tenant,
  items: Extract<BatchBodyReading, { kind: 'items' }>,
): Promise<BatchOutcome[]> {
  const effective = effectiveSettings(tenant, await deps.store.settings.get(tenant.id), deps.config.smtpPlans);
  const owner = randomUUID();
  const prepared = recordBatchItems(items.valid, { tenantId: tenant.id, effective, now: deps.now(), owner });
  const outcomes: BatchOutcome[] = items.errors.map((e) => ({ index: e.index, error: toHttpError(e.problem) }));

  const screened = await screenSuppressedAtEnqueueMany(
    deps,
    tenant.id,
    prepared.map((p) => p.record),
  );
  const stored = await deps.store.emails.createMany(prepared.map((p, i) => ({ email: screened[i], content: p.content })));

  const starts: Start[] = [];
  const reAdds: EmailRecord[] = [];
  const settled: BatchOutcome[] = [];
  for (const [i, item] of prepared.entries()) {
    const { email, created } = stored[i];
    if (created) {
      if (awaitsSend(email)) starts.push({ index: item.index, email, created });
      else settled.push({ index: item.index, email, created });
      continue;
    }
    try {
      const plan = await planReplay(deps, email, { hash: item.hash, idempotencyKey: item.idempotencyKey, owner });
      if (plan.kind === 'take-over') starts.push({ index: item.index, email: plan.email, created: false });
      else settled.push({ index: item.index, email: plan.email, created: false });
      if (plan.kind === 're-add') reAdds.push(plan.email);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      settled.push({ index: item.index, error: e });
    }
  }
  outcomes.push(...settled, ...(await addJobsThenCommit(deps, tenant.id, starts, reAdds, owner)));
  outcomes.sort((a, b) => a.index - b.index);

  const createdNow = outcomes.filter((o): o is Extract<BatchOutcome, { email: EmailRecord }> => 'email' in o && o.created);
  await deps.callbacks?.publisher.publish(createdNow.flatMap((o) => createdEmailCallbackEvents(o.email)));
  for (const o of createdNow) deps.observer?.emailEnqueued(o.email);
  deps.logger.info(
    {
      tenantId: tenant.id,
      items: items.count,
      created: createdNow.length,
      errors: outcomes.length - outcomes.filter((o) => 'email' in o).length,
    },
    'batch queued',
  );
  return outcomes;
}

const withoutMark = ({ pendingEnqueue: _mark, ...email }: EmailRecord): EmailRecord => email;

/**
 * Every email this request starts, and the replayed queued emails (their jobs may be missing), enter
 * the tenant's lane in one call (decision 0026): as many as its free slots get their jobs in one bulk
 * add, the rest wait in its backlog, still `queued`; an id already admitted or waiting is left as it
 * is. Then the started emails are committed together. If the admission fails, each started email is
 * undone as one enqueue undoes it (pending-enqueue.ts) and the lane places of those removed go back;
 * the re-admissions are left to the sweep.
 */
async function addJobsThenCommit(
  deps: ApiDeps,
  tenantId: string,
  starts: Start[],
  reAdds: EmailRecord[],
  owner: string,
): Promise<BatchOutcome[]> {
  if (starts.length === 0 && reAdds.length === 0) return [];
  try {
    await admitSendJobs(deps, tenantId, [...starts.map((s) => s.email.id), ...reAdds.map((e) => e.id)]);
  } catch (e) {
    deps.logger.error({ err: e, tenantId, emails: starts.length }, 'could not enqueue the batch; removing its new records');
    const undone = await Promise.all(starts.map((s) => undoStart(deps, s, owner)));
    const removed = undone.filter((u) => u.removed).map((u) => u.id);
    if (removed.length > 0) giveBackLanePlaces(deps, tenantId, removed);
    return undone.map((u) => u.outcome);
  }
  // Fewer than all only when a worker committed some first (it already runs their jobs): the records stay either way.
  await deps.store.emails.commitPendingEnqueueMany(
    tenantId,
    starts.map((s) => s.email.id),
    owner,
  );
  return starts.map((s) => ({ index: s.index, email: withoutMark(s.email), created: s.created }));
}
/**
 * The admission failed: remove the record while it is still pending under this request, as one enqueue
 * does. `removed`: it is gone, and its lane place (if it got one) must go back.
 */
async function undoStart(deps: ApiDeps, s: Start, owner: string): Promise<{ id: string; removed: boolean; outcome: BatchOutcome }> {
  const { tenantId, id } = s.email;
  const unavailable = (message: string) => ({ index: s.index, error: new HttpError(503, 'queue_unavailable', message) });
  if (await deps.store.emails.removePendingEnqueue(tenantId, id, owner))
    return { id, removed: true, outcome: unavailable('the send queue is unavailable; nothing was stored for this item, retry it') };
  // Not removed: a worker already took the job (the add did succeed, late) and committed the record.
  const now = await deps.store.emails.get(tenantId, id);
  if (now && !now.pendingEnqueue) return { id, removed: false, outcome: { index: s.index, email: now, created: s.created } };
  return { id, removed: false, outcome: unavailable('the send queue is unavailable; retry this item with the same idempotencyKey') };
}
