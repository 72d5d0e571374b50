import type { HistoryFilter } from '../history-filter';

/**
 * One history query: every filter narrows an index that starts with tenant_id, and the order
 * (created_at DESC, id DESC) is the index order. The keyset condition uses a row-value comparison.
 * Fetches `limit + 1` rows so the caller knows whether there is a next page.
 */
export function historySql(filter: HistoryFilter): { sql: string; params: Record<string, string | number> } {
  const where = ['e.tenant_id = @tenantId'];
  const params: Record<string, string | number> = { tenantId: filter.tenantId, limit: filter.limit + 1 };
  if (filter.documentId !== undefined) {
    where.push('e.document_id = @documentId');
    params.documentId = filter.documentId;
  }
  if (filter.documentType !== undefined) {
    where.push('e.document_type = @documentType');
    params.documentType = filter.documentType;
  }
  if (filter.status !== undefined) {
    where.push(
      '(e.status = @status OR e.id IN (SELECT r.email_id FROM email_recipients r WHERE r.tenant_id = @tenantId AND r.status = @status))',
    );
    params.status = filter.status;
  }
  if (filter.recipient !== undefined) {
    where.push('e.id IN (SELECT r.email_id FROM email_recipients r WHERE r.tenant_id = @tenantId AND r.address = @recipient)');
    params.recipient = filter.recipient;
  }
  if (filter.since !== undefined) {
    where.push('e.created_at >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push('e.created_at < @until');
    params.until = filter.until;
  }
  if (filter.test !== undefined) {
    where.push('e.test = @test');
    params.test = filter.test ? 1 : 0;
  }
  if (filter.after !== undefined) {
    where.push('(e.created_at, e.id) < (@afterCreatedAt, @afterId)');
    params.afterCreatedAt = filter.after.createdAt;
    params.afterId = filter.after.id;
  }
  return {
    sql: `SELECT e.doc FROM emails e WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.id DESC LIMIT @limit`,
    params,
  };
}
