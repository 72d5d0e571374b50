import type { EmailContent, EmailRecord } from '@mailroom/domain';
import { sendDueAt } from '@mailroom/domain';
import type { SqliteStatements } from './sqlite-statements';

/** The indexed columns, always derived from the record they sit beside, and the record itself (`doc`). */
export function emailColumns(email: EmailRecord) {
  return { ...indexedColumns(email), doc: JSON.stringify(email) };
}

/** The columns derived from the record, without the record. */
export function indexedColumns(email: EmailRecord) {
  return {
    id: email.id,
    tenant_id: email.tenantId,
    status: email.status,
    document_type: email.document?.type ?? null,
    document_id: email.document?.id ?? null,
    created_at: email.createdAt,
    idempotency_key: email.idempotencyKey ?? null,
    test: email.test ? 1 : 0,
    final_at: email.finalAt ?? null,
    content_purged_at: email.contentPurgedAt ?? null,
    send_due_at: sendDueAt(email),
    pending_owner: email.pendingEnqueue?.owner ?? null,
  };
}

type IndexedColumns = ReturnType<typeof indexedColumns>;

/**
 * The UPDATE of an email that sets the record and only the derived columns whose value changed: SQLite
 * rewrites the entry of every index on a column named in SET, changed or not, and `emails` has eight;
 * a send's status change moves two or three of them (decision 0042).
 */
export function updateEmailStatement(before: IndexedColumns, after: IndexedColumns): { sql: string; params: Record<string, unknown> } {
  const changed = (Object.keys(after) as (keyof IndexedColumns)[]).filter((c) => c !== 'id' && c !== 'tenant_id' && after[c] !== before[c]);
  const params: Record<string, unknown> = { id: after.id, tenant_id: after.tenant_id };
  for (const c of changed) params[c] = after[c];
  const sets = [...changed.map((c) => `${c} = @${c}`), 'doc = @doc'].join(', ');
  return { sql: `UPDATE emails SET ${sets} WHERE id = @id AND tenant_id = @tenant_id`, params };
}

/** The history key of a status: the email's own, or any recipient's (the status filter matches either). */
export const statusKey = (status: string) => `s:${status}`;
/** The history key of a recipient address (to, cc or bcc), lower-cased. */
export const recipientKey = (address: string) => `r:${address.toLowerCase()}`;

/** Every key the history filters can find this email by (email_history_keys, decision 0036). */
export function historyKeys(email: EmailRecord): Set<string> {
  const keys = new Set([statusKey(email.status)]);
  for (const r of email.recipients) {
    keys.add(statusKey(r.status));
    keys.add(recipientKey(r.email));
  }
  return keys;
}

const INSERT_EMAIL = `
  INSERT INTO emails (id, tenant_id, status, document_type, document_id, created_at, idempotency_key, test, final_at, content_purged_at,
    send_due_at, pending_owner, doc)
  VALUES (@id, @tenant_id, @status, @document_type, @document_id, @created_at, @idempotency_key, @test, @final_at, @content_purged_at,
    @send_due_at, @pending_owner, @doc)
  ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`;

const INSERT_KEY = 'INSERT INTO email_history_keys (email_id, key, tenant_id, created_at) VALUES (?, ?, ?, ?)';

const NO_BYTES = Buffer.alloc(0);

/**
 * Writes a new email's rows: the record, its history keys, its content and attachments. False, writing
 * nothing, when another email of the tenant holds its idempotency key. The caller runs it inside a
 * transaction: the store one per email (IMMEDIATE), the benchmark's data set thousands at a time.
 * `files[position]`, when given, names where that attachment's bytes already are
 * (sqlite-content-segments.ts); the row then keeps no bytes of its own.
 */
export function insertEmailRows(sql: SqliteStatements, email: EmailRecord, content: EmailContent, files: readonly string[] = []): boolean {
  if (sql.get(INSERT_EMAIL).run(emailColumns(email)).changes === 0) return false;
  const insertKey = sql.get(INSERT_KEY);
  for (const key of historyKeys(email)) insertKey.run(email.id, key, email.tenantId, email.createdAt);
  sql.get('INSERT INTO email_contents (email_id, text, html) VALUES (?, ?, ?)').run(email.id, content.text ?? null, content.html ?? null);
  const insertAttachment = sql.get(
    'INSERT INTO email_attachments (email_id, position, filename, content_type, content, file) VALUES (?, ?, ?, ?, ?, ?)',
  );
  content.attachments.forEach((a, position) => {
    const file = files[position];
    insertAttachment.run(email.id, position, a.filename, a.contentType, file ? NO_BYTES : a.content, file ?? null);
  });
  return true;
}

/**
 * After an update: the keys `before` had and `after` has not go, the new ones come; most updates (an
 * event recorded, an attempt) move one status and write two small rows, not the email's every key.
 */
export function updateHistoryKeys(sql: SqliteStatements, before: { keys: Set<string>; createdAt: string }, after: EmailRecord): void {
  const old = new Set(before.keys);
  const next = historyKeys(after);
  if (before.createdAt !== after.createdAt) {
    sql.get('DELETE FROM email_history_keys WHERE email_id = ?').run(after.id);
    old.clear();
  }
  const remove = sql.get('DELETE FROM email_history_keys WHERE email_id = ? AND key = ?');
  for (const key of old) if (!next.has(key)) remove.run(after.id, key);
  const insert = sql.get(`${INSERT_KEY} ON CONFLICT DO NOTHING`);
  for (const key of next) if (!old.has(key)) insert.run(after.id, key, after.tenantId, after.createdAt);
}
