import type { Tenant } from '@mailroom/domain';
import type { TenantStore, TenantUpsert } from '../store.port';
import { SqliteStatements } from './sqlite-statements';

const COLUMNS = 'id, name, plan, email, created_at AS createdAt, updated_at AS updatedAt';

type TenantRow = Omit<Tenant, 'email'> & { email: string | null };

function toTenant(row: TenantRow): Tenant {
  const { email, ...rest } = row;
  return email === null ? rest : { ...rest, email };
}

export class SqliteTenantStore implements TenantStore {
  constructor(private readonly sql: SqliteStatements) {}

  async upsert(tenant: TenantUpsert, now: string): Promise<Tenant> {
    const row = this.sql
      .get(
        `INSERT INTO tenants (id, name, plan, email, created_at, updated_at) VALUES (@id, @name, @plan, @email, @now, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan,
           email = CASE WHEN @keepEmail = 1 THEN tenants.email ELSE excluded.email END, updated_at = excluded.updated_at
         RETURNING ${COLUMNS}`,
      )
      .get({
        id: tenant.id,
        name: tenant.name,
        plan: tenant.plan,
        email: tenant.email ?? null,
        keepEmail: tenant.email === undefined ? 1 : 0,
        now,
      }) as TenantRow;
    return toTenant(row);
  }

  async get(id: string): Promise<Tenant | null> {
    const row = this.sql.get(`SELECT ${COLUMNS} FROM tenants WHERE id = ?`).get(id) as TenantRow | undefined;
    return row ? toTenant(row) : null;
  }
}
