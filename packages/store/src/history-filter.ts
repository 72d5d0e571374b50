import type { EmailRecord, HistoryPage, HistoryQuery, RecipientStatus } from '@mailroom/domain';
import { decodeHistoryCursor, encodeHistoryCursor, HistoryPosition } from './history-cursor';

/**
 * A history query as both adapters run it: times normalised to UTC `toISOString()` form (so they
 * compare as strings with the stored timestamps), the recipient lower-cased, the cursor decoded.
 * `since` is inclusive, `until` exclusive.
 */
export interface HistoryFilter {
  tenantId: string;
  documentId?: string;
  documentType?: string;
  status?: RecipientStatus;
  recipient?: string;
  since?: string;
  until?: string;
  test?: boolean;
  after?: HistoryPosition;
  limit: number;
}

function normaliseTime(field: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO 8601 date-time`);
  return new Date(ms).toISOString();
}

export function toHistoryFilter(tenantId: string, query: HistoryQuery): HistoryFilter {
  return {
    tenantId,
    documentId: query.documentId,
    documentType: query.documentType,
    status: query.status,
    recipient: query.recipient?.trim().toLowerCase(),
    since: query.since === undefined ? undefined : normaliseTime('since', query.since),
    until: query.until === undefined ? undefined : normaliseTime('until', query.until),
    test: query.test,
    after: query.cursor === undefined ? undefined : decodeHistoryCursor(query.cursor),
    limit: query.limit,
  };
}

/** Builds the page from rows fetched with `limit + 1`: the extra row only says there is more. */
export function toHistoryPage(rows: EmailRecord[], limit: number): HistoryPage {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: encodeHistoryCursor({ createdAt: last.createdAt, id: last.id }) };
}
