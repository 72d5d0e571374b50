import type { HistoryFilter } from '../history-filter';
import { recipientKey, statusKey } from './sqlite-email-rows';

/**
 * Where a history query walks, newest first: one index range whose order is the page's order
 * (created_at DESC, id DESC), so the page is the first `limit` rows of the range that pass the other
 * filters. Each is a (tenant, value, created_at, id) index:
 * - `key`: email_history_keys_newest, a status (the email's or any recipient's) or a recipient address;
 * - `documentId`, `documentType`, `test`: the emails indexes of that column;
 * - `all`: emails_history, when no filter narrows by value (only the time range or the cursor).
 */
export type HistoryRange =
  { kind: 'key'; key: string } | { kind: 'documentId' } | { kind: 'documentType' } | { kind: 'test' } | { kind: 'all' };

type Params = Record<string, string | number>;

/**
 * The ranges this filter could walk. One document's emails are a handful: that range alone when the
 * filter names one. Otherwise every filtered value is a candidate, and the store walks the one with
 * the fewest rows (probeSql), checking the others row by row.
 */
export function candidateRanges(filter: HistoryFilter): HistoryRange[] {
  if (filter.documentId !== undefined) return [{ kind: 'documentId' }];
  const ranges: HistoryRange[] = [];
  if (filter.recipient !== undefined) ranges.push({ kind: 'key', key: recipientKey(filter.recipient) });
  if (filter.status !== undefined) ranges.push({ kind: 'key', key: statusKey(filter.status) });
  if (filter.documentType !== undefined) ranges.push({ kind: 'documentType' });
  if (ranges.length === 0 && filter.test !== undefined) ranges.push({ kind: 'test' });
  return ranges.length > 0 ? ranges : [{ kind: 'all' }];
}

/** The walk: its FROM, its own conditions, and the columns its order and the time range are read from. */
function walk(filter: HistoryFilter, range: HistoryRange, params: Params) {
  if (range.kind === 'key') {
    params.walkKey = range.key;
    return {
      from: 'email_history_keys k INDEXED BY email_history_keys_newest',
      where: ['k.tenant_id = @tenantId', 'k.key = @walkKey'],
      createdAt: 'k.created_at',
      id: 'k.email_id',
    };
  }
  const index = {
    documentId: 'emails_by_document_id',
    documentType: 'emails_by_document_type',
    test: 'emails_by_test',
    all: 'emails_history',
  }[range.kind];
  const where = ['e.tenant_id = @tenantId'];
  if (range.kind === 'documentId') where.push('e.document_id = @documentId');
  if (range.kind === 'documentType') where.push('e.document_type = @documentType');
  if (range.kind === 'test') where.push('e.test = @test');
  return { from: `emails e INDEXED BY ${index}`, where, createdAt: 'e.created_at', id: 'e.id' };
}

/** The time range and the cursor, on the walk's own columns (they follow its value in its index). */
function positionConditions(filter: HistoryFilter, createdAt: string, id: string, params: Params): string[] {
  const where: string[] = [];
  if (filter.since !== undefined) {
    where.push(`${createdAt} >= @since`);
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push(`${createdAt} < @until`);
    params.until = filter.until;
  }
  if (filter.after !== undefined) {
    where.push(`(${createdAt}, ${id}) < (@afterCreatedAt, @afterId)`);
    params.afterCreatedAt = filter.after.createdAt;
    params.afterId = filter.after.id;
  }
  return where;
}

/**
 * Counts the range's rows within the time range and the cursor, up to `cap` (a covering index scan of
 * at most `cap` entries): how the store tells a rare value from a common one before choosing a walk.
 */
export function probeSql(filter: HistoryFilter, range: HistoryRange, cap: number): { sql: string; params: Params } {
  const params: Params = { tenantId: filter.tenantId, cap };
  if (range.kind === 'documentType') params.documentType = filter.documentType!;
  if (range.kind === 'test') params.test = filter.test ? 1 : 0;
  const w = walk(filter, range, params);
  const where = [...w.where, ...positionConditions(filter, w.createdAt, w.id, params)];
  return { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${w.from} WHERE ${where.join(' AND ')} LIMIT @cap)`, params };
}

/**
 * One history page along `range`: the other filters are checked on each row it passes (a key by its
 * primary key, a column on the email row). Fetches `limit + 1` rows so the caller knows whether there
 * is a next page.
 */
export function historySql(filter: HistoryFilter, range: HistoryRange): { sql: string; params: Params } {
  const params: Params = { tenantId: filter.tenantId, limit: filter.limit + 1 };
  const w = walk(filter, range, params);
  const where = [...w.where, ...positionConditions(filter, w.createdAt, w.id, params)];
  const hasKey = (key: string, name: string) => {
    if (range.kind === 'key' && range.key === key) return;
    params[name] = key;
    where.push(`EXISTS (SELECT 1 FROM email_history_keys o WHERE o.email_id = ${w.id} AND o.key = @${name})`);
  };
  if (filter.recipient !== undefined) hasKey(recipientKey(filter.recipient), 'recipientKey');
  if (filter.status !== undefined) hasKey(statusKey(filter.status), 'statusKey');
  if (filter.documentId !== undefined && range.kind !== 'documentId') where.push('e.document_id = @documentId');
  if (filter.documentId !== undefined) params.documentId = filter.documentId;
  if (filter.documentType !== undefined && range.kind !== 'documentType') where.push('e.document_type = @documentType');
  if (filter.documentType !== undefined) params.documentType = filter.documentType;
  if (filter.test !== undefined && range.kind !== 'test') where.push('e.test = @test');
  if (filter.test !== undefined) params.test = filter.test ? 1 : 0;
  // Walking the keys, the email is joined by primary key after its key row (CROSS JOIN keeps that order).
  const from = range.kind === 'key' ? `${w.from} CROSS JOIN emails e ON e.id = k.email_id AND e.tenant_id = @tenantId` : w.from;
  return {
    sql: `SELECT e.doc FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${w.createdAt} DESC, ${w.id} DESC LIMIT @limit`,
    params,
  };
}
