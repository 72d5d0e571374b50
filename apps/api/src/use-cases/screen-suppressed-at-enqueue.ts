import { applySuppressions, awaitsSend, EmailRecord, Suppression } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';

/**
 * The enqueue's check of the tenant's suppression list, one query for every recipient: those on it
 * are `suppressed` (with the reason and the date) in the record as it is first written, and no server
 * will be contacted for them. An email left with nobody to send to is `suppressed` from the start: no
 * job, and no pending mark to commit (start-sending.ts). The worker checks the list again at send.
 */
export async function screenSuppressedAtEnqueue(deps: ApiDeps, record: EmailRecord): Promise<EmailRecord> {
  const [screened] = await screenSuppressedAtEnqueueMany(deps, record.tenantId, [record]);
  return screened;
}

/** The same check for a batch of one tenant's records: still one query, for every recipient of every record. */
export async function screenSuppressedAtEnqueueMany(deps: ApiDeps, tenantId: string, records: EmailRecord[]): Promise<EmailRecord[]> {
  if (records.length === 0) return [];
  const addresses = [...new Set(records.flatMap((r) => r.recipients.map((x) => x.email.toLowerCase())))];
  const active = await deps.store.suppressions.findActive(tenantId, addresses, records[0].updatedAt);
  return active.length === 0 ? records : records.map((r) => screenWith(r, active));
}

function screenWith(record: EmailRecord, active: Suppression[]): EmailRecord {
  const screened = applySuppressions(record, active, record.updatedAt, 'api') ?? record;
  if (awaitsSend(screened)) return screened;
  const { pendingEnqueue: _nothingPending, ...settled } = screened;
  return settled;
}
