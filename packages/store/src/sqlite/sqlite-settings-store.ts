import type Database from 'better-sqlite3';
import type { EmailSettings } from '@mailroom/domain';
import type { Mutator, SettingsStore } from '../store.port';
import { SqliteStatements } from './sqlite-statements';

interface SettingsRow {
  version: number;
  doc: string;
}

/** The settings document is stored without its version; the `version` column is the truth. */
function toSettings(row: SettingsRow): EmailSettings {
  return { ...(JSON.parse(row.doc) as Omit<EmailSettings, 'version'>), version: row.version };
}

function toDoc(settings: Omit<EmailSettings, 'version'> & { version?: number }): string {
  const { version: _ignored, ...doc } = settings;
  return JSON.stringify(doc);
}

export class SqliteSettingsStore implements SettingsStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: SqliteStatements,
  ) {}

  async get(tenantId: string): Promise<EmailSettings | null> {
    const row = this.sql.get('SELECT version, doc FROM email_settings WHERE tenant_id = ?').get(tenantId) as SettingsRow | undefined;
    return row ? toSettings(row) : null;
  }

  async put(settings: Omit<EmailSettings, 'version'>): Promise<EmailSettings> {
    const row = this.sql
      .get(
        `INSERT INTO email_settings (tenant_id, version, doc) VALUES (?, 1, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1, doc = excluded.doc
         RETURNING version, doc`,
      )
      .get(settings.tenantId, toDoc(settings)) as SettingsRow;
    return toSettings(row);
  }

  async update(tenantId: string, mutate: Mutator<EmailSettings>): Promise<EmailSettings | null> {
    return this.db
      .transaction((): EmailSettings | null => {
        const row = this.sql.get('SELECT version, doc FROM email_settings WHERE tenant_id = ?').get(tenantId) as SettingsRow | undefined;
        if (!row) return null;
        const current = toSettings(row);
        const next = mutate(current);
        if (next === null) return current;
        const saved: EmailSettings = { ...next, tenantId, version: current.version };
        this.sql.get('UPDATE email_settings SET doc = ? WHERE tenant_id = ?').run(toDoc(saved), tenantId);
        return saved;
      })
      .immediate();
  }

  async listTenantIds(after: string | undefined, limit: number): Promise<string[]> {
    const rows = this.sql
      .get('SELECT tenant_id FROM email_settings WHERE tenant_id > ? ORDER BY tenant_id LIMIT ?')
      .all(after ?? '', limit) as { tenant_id: string }[];
    return rows.map((r) => r.tenant_id);
  }
}
