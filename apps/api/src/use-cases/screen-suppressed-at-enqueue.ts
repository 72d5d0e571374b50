import { applySuppressions, awaitsSend, EmailRecord } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';

/**
 * The enqueue's check of the tenant's suppression list, one query for every recipient: those on it
 * are `suppressed` (with the reason and the date) in the record as it is first written, and no server
 * will be contacted for them. An email left with nobody to send to is `suppressed` from the start: no
 * job, and no pending mark to commit (start-sending.ts). The worker checks the list again at send.
 */
export async function screenSuppressedAtEnqueue(deps: ApiDeps, record: EmailRecord): Promise<EmailRecord> {
  const now = record.updatedAt;
  const addresses = record.recipients.map((r) => r.email);
  const active = await deps.store.suppressions.findActive(record.tenantId, addresses, now);
  if (active.length === 0) return record;
  const screened = applySuppressions(record, active, now, 'api') ?? record;
  if (awaitsSend(screened)) return screened;
  const { pendingEnqueue: _nothingPending, ...settled } = screened;
  return settled;
}
