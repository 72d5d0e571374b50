import type { EmailRecord } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

/** An owner that has not committed within this long has died: its add is bounded by ENQUEUE_TIMEOUT_MS. */
export function abandonedAfterMs(deps: ApiDeps): number {
  return 2 * deps.config.timeouts.enqueueMs + 1000;
}

/** What a replay of an Idempotency-Key does with the email the key already holds. */
export type ReplayPlan =
  /** The first request died before committing: this replay now owns the pending mark; add the job and commit. */
  | { kind: 'take-over'; email: EmailRecord }
  /** Committed and still queued: admit it again (a no-op when its job exists or it waits in the backlog; a Redis restart may have lost it). */
  | { kind: 're-add'; email: EmailRecord }
  /** Nothing to do: answer the email as it is. */
  | { kind: 'as-is'; email: EmailRecord };

/**
 * The rules of decision 0014 for a replay, as one decision: a different body is refused (409
 * `idempotency_key_reused`), a first request still in progress answers 409
 * `idempotency_key_in_progress`, an abandoned one is taken over. Throws the HttpError the caller answers.
 */
export async function planReplay(
  deps: ApiDeps,
  email: EmailRecord,
  replay: { hash: string; idempotencyKey?: string; owner: string },
): Promise<ReplayPlan> {
  if (email.requestHash !== replay.hash) {
    throw new HttpError(
      409,
      'idempotency_key_reused',
      `Idempotency-Key "${replay.idempotencyKey}" was already used for a different request (email ${email.id})`,
    );
  }
  const pending = email.pendingEnqueue;
  if (!pending) return email.status === 'queued' ? { kind: 're-add', email } : { kind: 'as-is', email };
  const now = deps.now();
  const abandoned = now.getTime() - Date.parse(pending.since) >= abandonedAfterMs(deps);
  const taken = abandoned
    ? await deps.store.emails.update(email.tenantId, email.id, (e) =>
        e.pendingEnqueue?.owner === pending.owner && e.pendingEnqueue.since === pending.since
          ? { ...e, pendingEnqueue: { owner: replay.owner, since: now.toISOString() } }
          : null,
      )
    : null;
  if (taken?.pendingEnqueue?.owner !== replay.owner) {
    throw new HttpError(
      409,
      'idempotency_key_in_progress',
      `a request with Idempotency-Key "${replay.idempotencyKey}" is still in progress (email ${email.id}); retry in a moment`,
      { retryAfterSeconds: 1 },
    );
  }
  deps.logger.warn({ tenantId: email.tenantId, emailId: email.id }, 'took over an enqueue abandoned by its request');
  return { kind: 'take-over', email: taken };
}
