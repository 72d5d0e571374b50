import type { Tenant } from '@mailroom/domain';
import type { TenantStore } from '../store.port';
import { SqliteStatements } from './sqlite-statements';

const COLUMNS = 'id, name, plan, created_at AS createdAt, updated_at AS updatedAt';

export class SqliteTenantStore implements TenantStore {
  constructor(private readonly sql: SqliteStatements) {}

  async upsert(tenant: { id: string; name: string; plan: Tenant['plan'] }, now: string): Promise<Tenant> {
    return this.sql
      .get(
        `INSERT INTO tenants (id, name, plan, created_at, updated_at) VALUES (@id, @name, @plan, @now, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan, updated_at = excluded.updated_at
         RETURNING ${COLUMNS}`,
      )
      .get({ id: tenant.id, name: tenant.name, plan: tenant.plan, now }) as Tenant;
  }

  async get(id: string): Promise<Tenant | null> {
    const row = this.sql.get(`SELECT ${COLUMNS} FROM tenants WHERE id = ?`).get(id) as Tenant | undefined;
    return row ?? null;
  }
}
