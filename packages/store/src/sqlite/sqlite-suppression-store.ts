import type Database from 'better-sqlite3';
import { isSuppressionActive, preferSuppression, Suppression, SuppressionPage } from '@mailroom/domain';
import type { SuppressionListQuery, SuppressionStore } from '../store.port';
import { prefixEnd, toSuppressionFilter, toSuppressionPage } from '../suppression-cursor';
import { SqliteStatements } from './sqlite-statements';

interface SuppressionRow {
  tenantId: string;
  address: string;
  reason: Suppression['reason'];
  sourceEmailId: string | null;
  detail: string | null;
  createdAt: string;
  expiresAt: string | null;
}

const COLUMNS = `tenant_id AS tenantId, address, reason, source_email_id AS sourceEmailId, detail,
  created_at AS createdAt, expires_at AS expiresAt`;
const ACTIVE = '(expires_at IS NULL OR expires_at > @now)';

function fromRow(row: SuppressionRow): Suppression {
  return {
    tenantId: row.tenantId,
    address: row.address,
    reason: row.reason,
    ...(row.sourceEmailId !== null ? { sourceEmailId: row.sourceEmailId } : {}),
    ...(row.detail !== null ? { detail: row.detail } : {}),
    createdAt: row.createdAt,
    ...(row.expiresAt !== null ? { expiresAt: row.expiresAt } : {}),
  };
}

const UPSERT = `
  INSERT INTO suppressions (tenant_id, address, reason, source_email_id, detail, created_at, expires_at)
  VALUES (@tenantId, @address, @reason, @sourceEmailId, @detail, @createdAt, @expiresAt)
  ON CONFLICT (tenant_id, address) DO UPDATE SET reason = excluded.reason, source_email_id = excluded.source_email_id,
    detail = excluded.detail, created_at = excluded.created_at, expires_at = excluded.expires_at`;

export class SqliteSuppressionStore implements SuppressionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: SqliteStatements,
  ) {}

  async add(entry: Suppression, now: string): Promise<{ suppression: Suppression; created: boolean }> {
    const incoming: Suppression = { ...entry, address: entry.address.trim().toLowerCase() };
    return this.db
      .transaction(() => {
        const row = this.sql
          .get(`SELECT ${COLUMNS} FROM suppressions WHERE tenant_id = ? AND address = ?`)
          .get(incoming.tenantId, incoming.address) as SuppressionRow | undefined;
        const existing = row ? fromRow(row) : null;
        const kept = preferSuppression(existing, incoming, now);
        const created = existing === null || !isSuppressionActive(existing, now);
        if (kept !== existing) {
          this.sql.get(UPSERT).run({
            tenantId: kept.tenantId,
            address: kept.address,
            reason: kept.reason,
            sourceEmailId: kept.sourceEmailId ?? null,
            detail: kept.detail ?? null,
            createdAt: kept.createdAt,
            expiresAt: kept.expiresAt ?? null,
          });
        }
        return { suppression: kept, created };
      })
      .immediate();
  }

  async get(tenantId: string, address: string, now: string): Promise<Suppression | null> {
    const row = this.sql
      .get(`SELECT ${COLUMNS} FROM suppressions WHERE tenant_id = @tenantId AND address = @address AND ${ACTIVE}`)
      .get({ tenantId, address: address.trim().toLowerCase(), now }) as SuppressionRow | undefined;
    return row ? fromRow(row) : null;
  }

  async findActive(tenantId: string, addresses: string[], now: string): Promise<Suppression[]> {
    if (addresses.length === 0) return [];
    const wanted = JSON.stringify([...new Set(addresses.map((a) => a.trim().toLowerCase()))]);
    // One statement whatever the number of addresses: the list travels as JSON and each one is a primary-key lookup.
    const rows = this.sql
      .get(
        `SELECT ${COLUMNS} FROM suppressions
         WHERE tenant_id = @tenantId AND address IN (SELECT value FROM json_each(@wanted)) AND ${ACTIVE}`,
      )
      .all({ tenantId, wanted, now }) as SuppressionRow[];
    return rows.map(fromRow);
  }

  async list(tenantId: string, query: SuppressionListQuery, now: string): Promise<SuppressionPage> {
    const filter = toSuppressionFilter(tenantId, query, now);
    const where = ['tenant_id = @tenantId', ACTIVE];
    const params: Record<string, string | number> = { tenantId, now, limit: filter.limit + 1 };
    if (filter.address !== undefined) {
      where.push('address = @address');
      params.address = filter.address;
    }
    if (filter.addressPrefix !== undefined) {
      where.push('address >= @prefix AND address < @prefixEnd');
      params.prefix = filter.addressPrefix;
      params.prefixEnd = prefixEnd(filter.addressPrefix);
    }
    if (filter.reason !== undefined) {
      where.push('reason = @reason');
      params.reason = filter.reason;
    }
    if (filter.after !== undefined) {
      where.push('(created_at, address) < (@afterCreatedAt, @afterAddress)');
      params.afterCreatedAt = filter.after.createdAt;
      params.afterAddress = filter.after.address;
    }
    const rows = this.sql
      .get(`SELECT ${COLUMNS} FROM suppressions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, address DESC LIMIT @limit`)
      .all(params) as SuppressionRow[];
    return toSuppressionPage(rows.map(fromRow), filter.limit);
  }

  async remove(tenantId: string, address: string, now: string): Promise<boolean> {
    const row = this.sql
      .get('DELETE FROM suppressions WHERE tenant_id = ? AND address = ? RETURNING expires_at AS expiresAt')
      .get(tenantId, address.trim().toLowerCase()) as { expiresAt: string | null } | undefined;
    return row !== undefined && (row.expiresAt === null || row.expiresAt > now);
  }

  async removeExpired(now: string, limit: number): Promise<number> {
    return this.sql
      .get(
        `DELETE FROM suppressions WHERE (tenant_id, address) IN
           (SELECT tenant_id, address FROM suppressions WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?)`,
      )
      .run(now, limit).changes;
  }
}
