import type { Db, IndexDescription } from 'mongodb';
import { HISTORY_SORT } from './mongo-history-filter';

/** Every history index ends with the history's sort (newest first, ties by id), so the filter and the order share it. */
export const EMAIL_INDEXES: IndexDescription[] = [
  {
    name: 'tenant_idempotency_key',
    key: { tenantId: 1, idempotencyKey: 1 },
    unique: true,
    partialFilterExpression: { idempotencyKey: { $type: 'string' } },
  },
  { name: 'tenant_history', key: { tenantId: 1, ...HISTORY_SORT } },
  { name: 'tenant_document_id', key: { tenantId: 1, 'document.id': 1, ...HISTORY_SORT } },
  { name: 'tenant_document_type', key: { tenantId: 1, 'document.type': 1, ...HISTORY_SORT } },
  { name: 'tenant_status', key: { tenantId: 1, status: 1, ...HISTORY_SORT } },
  { name: 'tenant_recipient_address', key: { tenantId: 1, recipientAddresses: 1, ...HISTORY_SORT } },
  { name: 'tenant_recipient_status', key: { tenantId: 1, 'recipients.status': 1, ...HISTORY_SORT } },
  { name: 'tenant_test', key: { tenantId: 1, test: 1, ...HISTORY_SORT } },
  // The retention sweep: not yet purged (no contentPurgedAt: the index holds it as null), oldest finalAt first.
  {
    name: 'content_to_purge',
    key: { contentPurgedAt: 1, finalAt: 1, _id: 1 },
    partialFilterExpression: { finalAt: { $type: 'string' } },
  },
  { name: 'send_due', key: { sendDueAt: 1, _id: 1 }, partialFilterExpression: { sendDueAt: { $type: 'string' } } },
];

/**
 * Indexes of earlier versions, dropped at init: the sweep reads `send_due` now, and the recipient filter
 * the lower-cased `recipientAddresses` (`tenant_recipient_address`), not `recipients.email`.
 */
export const RETIRED_EMAIL_INDEXES = ['stuck_queued', 'tenant_recipient_email'];

export const IDEMPOTENCY_INDEX = 'tenant_idempotency_key';

/**
 * The suppression list: `_id` is `<tenantId>:<address>`, so the batch check (`findActive`) and a
 * single lookup are `_id` lookups; the list pages newest first, by reason or by address prefix.
 */
export const SUPPRESSION_INDEXES: IndexDescription[] = [
  { name: 'tenant_newest', key: { tenantId: 1, createdAt: -1, address: -1 } },
  { name: 'tenant_reason_newest', key: { tenantId: 1, reason: 1, createdAt: -1, address: -1 } },
  { name: 'tenant_address', key: { tenantId: 1, address: 1 } },
  { name: 'expiring', key: { expiresAt: 1 }, partialFilterExpression: { expiresAt: { $type: 'string' } } },
];

/** Idempotent: creating an index that exists with the same spec is a no-op. */
export async function ensureMongoIndexes(db: Db): Promise<void> {
  const emails = db.collection('emails');
  await emails.createIndexes(EMAIL_INDEXES);
  const existing = new Set((await emails.indexes()).map((i) => i.name));
  for (const name of RETIRED_EMAIL_INDEXES) if (existing.has(name)) await emails.dropIndex(name);
  await db.collection('suppressions').createIndexes(SUPPRESSION_INDEXES);
}
