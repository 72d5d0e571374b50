import type { Collection, Filter, FindCursor, WithId } from 'mongodb';
import type { HistoryFilter } from '../history-filter';
import type { EmailDoc } from './mongo-documents';

/** The history query as a MongoDB filter; each clause is served by a `tenantId`-first index (see mongo-indexes). */
export function historyMongoFilter(filter: HistoryFilter): Filter<EmailDoc> {
  const and: Filter<EmailDoc>[] = [{ tenantId: filter.tenantId }];
  if (filter.documentId !== undefined) and.push({ 'document.id': filter.documentId });
  if (filter.documentType !== undefined) and.push({ 'document.type': filter.documentType });
  if (filter.status !== undefined) and.push({ $or: [{ status: filter.status }, { 'recipients.status': filter.status }] });
  // The derived lower-cased addresses (mongo-documents), not `recipients.email`: a recipient stored as
  // `Moved@Example.com` is found by `moved@example.com`, as in SQLite.
  if (filter.recipient !== undefined) and.push({ recipientAddresses: filter.recipient });
  if (filter.since !== undefined) and.push({ createdAt: { $gte: filter.since } });
  if (filter.until !== undefined) and.push({ createdAt: { $lt: filter.until } });
  if (filter.test !== undefined) and.push({ test: filter.test });
  if (filter.after !== undefined) {
    const { createdAt, id } = filter.after;
    and.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] });
  }
  return { $and: and };
}

/** The history's order, newest first, ties by id: the last fields of every history index (mongo-indexes). */
export const HISTORY_SORT = { createdAt: -1, _id: -1 } as const;

/** One history page's query, one more than the page to tell whether another follows: what `list` reads and the explain test plans. */
export function historyCursor(emails: Collection<EmailDoc>, filter: HistoryFilter): FindCursor<WithId<EmailDoc>> {
  return emails
    .find(historyMongoFilter(filter))
    .sort(HISTORY_SORT)
    .limit(filter.limit + 1);
}
