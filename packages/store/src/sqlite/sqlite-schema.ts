import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Add a migration
 * by appending to the list, never by editing one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE email_settings (
    tenant_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );

  CREATE TABLE emails (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    status TEXT NOT NULL,
    document_type TEXT,
    document_id TEXT,
    created_at TEXT NOT NULL,
    idempotency_key TEXT,
    test INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  -- NULL keys never collide, so emails without an Idempotency-Key are unconstrained.
  CREATE UNIQUE INDEX emails_idempotency ON emails (tenant_id, idempotency_key);
  CREATE INDEX emails_history ON emails (tenant_id, created_at DESC, id DESC);
  CREATE INDEX emails_by_document_id ON emails (tenant_id, document_id, created_at DESC, id DESC);
  CREATE INDEX emails_by_document_type ON emails (tenant_id, document_type, created_at DESC, id DESC);
  CREATE INDEX emails_by_status ON emails (tenant_id, status, created_at DESC, id DESC);
  CREATE INDEX emails_by_test ON emails (tenant_id, test, created_at DESC, id DESC);
  CREATE INDEX emails_stuck_queued ON emails (created_at, id) WHERE status = 'queued';

  CREATE TABLE email_recipients (
    email_id TEXT NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL
  );
  CREATE INDEX email_recipients_by_email ON email_recipients (email_id);
  CREATE INDEX email_recipients_by_address ON email_recipients (tenant_id, address, email_id);
  CREATE INDEX email_recipients_by_status ON email_recipients (tenant_id, status, email_id);

  CREATE TABLE email_contents (
    email_id TEXT PRIMARY KEY REFERENCES emails (id) ON DELETE CASCADE,
    text TEXT,
    html TEXT
  );

  CREATE TABLE email_attachments (
    email_id TEXT NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (email_id, position)
  );
  `,
  // 2: content retention. final_at (the record's finalAt) starts the clock; content_purged_at says the
  // body and attachments are gone. Emails already in a final status start their clock at updatedAt.
  `
  ALTER TABLE emails ADD COLUMN final_at TEXT;
  ALTER TABLE emails ADD COLUMN content_purged_at TEXT;
  UPDATE emails
    SET final_at = json_extract(doc, '$.updatedAt'), doc = json_set(doc, '$.finalAt', json_extract(doc, '$.updatedAt'))
    WHERE status IN ('accepted', 'delivered', 'opened', 'bounced', 'dropped', 'complained', 'failed');
  CREATE INDEX emails_content_to_purge ON emails (final_at, id) WHERE final_at IS NOT NULL AND content_purged_at IS NULL;
  `,
  // 3: each tenant's suppression list, one row per (tenant, lower-cased address).
  `
  CREATE TABLE suppressions (
    tenant_id TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_email_id TEXT,
    detail TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    PRIMARY KEY (tenant_id, address)
  ) WITHOUT ROWID;
  CREATE INDEX suppressions_newest ON suppressions (tenant_id, created_at DESC, address DESC);
  CREATE INDEX suppressions_by_reason ON suppressions (tenant_id, reason, created_at DESC, address DESC);
  CREATE INDEX suppressions_expiring ON suppressions (expires_at) WHERE expires_at IS NOT NULL;
  `,
  // 4: the tenant's contact address; the sweep's due time (domain sendDueAt) for queued, sending and
  // deferred emails alike; the owner of an enqueue still in progress (the marker is in the doc too).
  `
  ALTER TABLE tenants ADD COLUMN email TEXT;
  ALTER TABLE emails ADD COLUMN send_due_at TEXT;
  ALTER TABLE emails ADD COLUMN pending_owner TEXT;
  UPDATE emails SET send_due_at = json_extract(doc, '$.updatedAt')
    WHERE status IN ('queued', 'sending') OR (status = 'deferred' AND json_extract(doc, '$.messageId') IS NULL);
  DROP INDEX emails_stuck_queued;
  CREATE INDEX emails_send_due ON emails (send_due_at, id) WHERE send_due_at IS NOT NULL;
  `,
  // 5: the history's status and recipient filters as one ordered index each (decision 0036). Every
  // email has a row per distinct key, `s:<status>` for its own status and each recipient's, `r:<address>`
  // for each recipient, with its created_at: a filter is one range of (tenant, key) in history order,
  // where the recipient rows needed the whole match set before the first page could be sorted.
  `
  CREATE TABLE email_history_keys (
    email_id TEXT NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (email_id, key)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO email_history_keys (email_id, key, tenant_id, created_at)
    SELECT id, 's:' || status, tenant_id, created_at FROM emails;
  INSERT OR IGNORE INTO email_history_keys (email_id, key, tenant_id, created_at)
    SELECT r.email_id, 's:' || r.status, e.tenant_id, e.created_at FROM email_recipients r JOIN emails e ON e.id = r.email_id;
  INSERT OR IGNORE INTO email_history_keys (email_id, key, tenant_id, created_at)
    SELECT r.email_id, 'r:' || r.address, e.tenant_id, e.created_at FROM email_recipients r JOIN emails e ON e.id = r.email_id;
  CREATE INDEX email_history_keys_newest ON email_history_keys (tenant_id, key, created_at DESC, email_id DESC);
  DROP TABLE email_recipients;
  `,
  // 6: attachments' bytes in content segments beside the database (sqlite-content-segments.ts, decision
  // 0042): a row with \`file\` (\`<segment>:<offset>:<length>\`) has an empty \`content\`; rows written
  // before keep their BLOB and are read as before. The index answers whether a segment is still named.
  `
  ALTER TABLE email_attachments ADD COLUMN file TEXT;
  CREATE INDEX email_attachments_by_file ON email_attachments (file) WHERE file IS NOT NULL;
  `,
  // 7: the status filter walks email_history_keys since 5 (decision 0036); emails_by_status served no
  // query, yet every status change moved its entry: about a third of the pages an update wrote to the
  // WAL (decision 0044).
  `
  DROP INDEX IF EXISTS emails_by_status;
  `,
  // 8: document.type is stored in lower case (the enqueue lowers it, and the history's filter): an
  // email enqueued before as \`Invoice\` is found by \`invoice\`.
  `
  UPDATE emails SET document_type = lower(document_type), doc = json_set(doc, '$.document.type', lower(document_type))
    WHERE document_type IS NOT NULL AND document_type <> lower(document_type);
  `,
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Brings the file up to the current schema inside one IMMEDIATE transaction, so several processes
 * starting together run each migration once. Refuses a file written by a newer version.
 */
export function migrateSqliteSchema(db: Database.Database, target = SQLITE_SCHEMA_VERSION): { from: number; to: number } {
  return db
    .transaction(() => {
      const from = db.pragma('user_version', { simple: true }) as number;
      if (from > SQLITE_SCHEMA_VERSION) {
        throw new Error(
          `the SQLite store is at schema version ${from}, newer than this build knows (${SQLITE_SCHEMA_VERSION}): upgrade Mailroom`,
        );
      }
      const to = Math.max(from, Math.min(target, SQLITE_SCHEMA_VERSION));
      for (let v = from; v < to; v++) db.exec(SQLITE_MIGRATIONS[v]);
      db.pragma(`user_version = ${to}`);
      return { from, to };
    })
    .immediate();
}
