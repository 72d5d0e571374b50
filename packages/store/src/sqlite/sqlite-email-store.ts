import type Database from 'better-sqlite3';
import type { Attachment, EmailContent, EmailRecord, HistoryPage, HistoryQuery } from '@mailroom/domain';
import type { CreateEmailInput, EmailRef, EmailStore, Mutator } from '../store.port';
import { silentStoreLogger, StoreLogger } from '../store-logger';
import { HistoryFilter, toHistoryFilter, toHistoryPage } from '../history-filter';
import { SqliteStatements } from './sqlite-statements';
import { SqliteGroupCommit } from './sqlite-group-commit';
import { SqliteContentSegments } from './sqlite-content-segments';
import { candidateRanges, historySql, HistoryRange, probeSql } from './sqlite-history-sql';
import { historyKeys, indexedColumns, insertEmailRows, updateEmailStatement, updateHistoryKeys } from './sqlite-email-rows';
import { emptyWalAfterPurge } from './sqlite-purge-checkpoint';

interface DocRow {
  doc: string;
}

interface ContentRow {
  text: string | null;
  html: string | null;
}

interface AttachmentRow {
  filename: string;
  content_type: string;
  content: Buffer;
  file: string | null;
}

/** Whether any row names bytes in a segment (`file` is `<segment>:<offset>:<length>`; ';' sorts right after ':'). */
const SEGMENT_NAMED = 'SELECT 1 FROM email_attachments WHERE file >= ? AND file < ? LIMIT 1';

/** The attachment bytes of an email (by tenant and id) that live in content segments. */
const FILES_OF = `SELECT a.file FROM email_attachments a JOIN emails e ON e.id = a.email_id
  WHERE e.tenant_id = ? AND e.id = ? AND a.file IS NOT NULL`;

/** The marker goes from the column and the doc in one statement: no recipient rows are rewritten. */
const COMMIT_PENDING = `
  UPDATE emails SET pending_owner = NULL, doc = json_remove(doc, '$.pendingEnqueue')
  WHERE tenant_id = ? AND id = ? AND pending_owner = ?`;

/** How far a candidate range is counted before the walk is chosen: beyond it, a value is common. */
const PROBE_CAP = 1000;

export class SqliteEmailStore implements EmailStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: SqliteStatements,
    private readonly segments: SqliteContentSegments,
    private readonly logger: StoreLogger = silentStoreLogger,
    busyTimeoutMs = 5000,
  ) {
    this.groupCommit = new SqliteGroupCommit(db, busyTimeoutMs);
  }

  /** Creates and updates asked for together commit together (each in its own savepoint). */
  private readonly groupCommit: SqliteGroupCommit;

  /** Concurrent enqueues' creates share a commit (group commit, like updates): one WAL append for many requests. */
  async create(input: CreateEmailInput): Promise<{ email: EmailRecord; created: boolean }> {
    return (await this.createAll([input]))[0];
  }

  /** The whole batch in one savepoint of one IMMEDIATE transaction: one lock, one commit, all or nothing. */
  async createMany(inputs: CreateEmailInput[]): Promise<{ email: EmailRecord; created: boolean }[]> {
    if (inputs.length === 0) return [];
    return this.createAll(inputs);
  }

  /**
   * The attachments' bytes are appended to this process's content segment first, outside the write
   * lock; the rows then name them. Bytes appended for an insert that wrote nothing (the idempotency
   * key's winner answers) or failed are erased again.
   */
  private async createAll(inputs: CreateEmailInput[]): Promise<{ email: EmailRecord; created: boolean }[]> {
    const files = inputs.map((input) => this.storeAttachments(input));
    try {
      const results = await this.groupCommit.run(() => inputs.map((input, k) => this.insertOrFindWinner(input, files[k])));
      results.forEach((r, k) => {
        if (!r.created) this.discardAttachments(files[k]);
      });
      return results;
    } catch (e) {
      files.forEach((f) => this.discardAttachments(f));
      throw e;
    }
  }

  private storeAttachments({ content }: CreateEmailInput): string[] {
    return content.attachments.map((a) => this.segments.append(a.content));
  }

  private discardAttachments(files: string[]): void {
    this.segments.erase(files);
  }

  /** Inside an IMMEDIATE transaction (the group commit's): the unique (tenant_id, idempotency_key) index decides, and the read after a conflict sees the winner. */
  private insertOrFindWinner({ email, content }: CreateEmailInput, files: string[]): { email: EmailRecord; created: boolean } {
    if (insertEmailRows(this.sql, email, content, files)) return { email, created: true };
    const winner = this.sql
      .get('SELECT doc FROM emails WHERE tenant_id = ? AND idempotency_key = ?')
      .get(email.tenantId, email.idempotencyKey) as DocRow;
    return { email: JSON.parse(winner.doc) as EmailRecord, created: false };
  }

  async get(tenantId: string, id: string): Promise<EmailRecord | null> {
    return this.read(tenantId, id);
  }

  async getContent(tenantId: string, id: string): Promise<EmailContent | null> {
    const row = this.sql
      .get('SELECT c.text, c.html FROM email_contents c JOIN emails e ON e.id = c.email_id WHERE e.tenant_id = ? AND e.id = ?')
      .get(tenantId, id) as ContentRow | undefined;
    if (!row) return null;
    const attachments = (
      this.sql
        .get('SELECT filename, content_type, content, file FROM email_attachments WHERE email_id = ? ORDER BY position')
        .all(id) as AttachmentRow[]
    ).map((a): Attachment => ({
      filename: a.filename,
      contentType: a.content_type,
      content: a.file ? this.segments.read(a.file) : a.content,
    }));
    return {
      ...(row.text !== null ? { text: row.text } : {}),
      ...(row.html !== null ? { html: row.html } : {}),
      attachments,
    };
  }

  async update(tenantId: string, id: string, mutate: Mutator<EmailRecord>): Promise<EmailRecord | null> {
    return this.groupCommit.run((): EmailRecord | null => {
      const current = this.read(tenantId, id);
      if (!current) return null;
      // Taken before the mutator runs: it gets the record itself and might change it in place.
      const keysBefore = historyKeys(current);
      const columnsBefore = indexedColumns(current);
      const createdBefore = current.createdAt;
      const next = mutate(current);
      if (next === null) return current;
      const saved: EmailRecord = { ...next, id, tenantId };
      const { sql, params } = updateEmailStatement(columnsBefore, indexedColumns(saved));
      this.sql.get(sql).run({ ...params, doc: JSON.stringify(saved) });
      updateHistoryKeys(this.sql, { keys: keysBefore, createdAt: createdBefore }, saved);
      return saved;
    });
  }

  async remove(tenantId: string, id: string): Promise<void> {
    // Recipients, content and attachments go with it (ON DELETE CASCADE); the caller was told nothing
    // was stored, so the bytes are overwritten too, in the rows and in the attachment files.
    const files = this.filesOf(tenantId, id);
    this.withSecureDelete(() => this.sql.get('DELETE FROM emails WHERE tenant_id = ? AND id = ?').run(tenantId, id));
    this.segments.erase(files);
  }

  async commitPendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean> {
    return this.groupCommit.run(() => this.sql.get(COMMIT_PENDING).run(tenantId, id, owner).changes === 1);
  }

  async commitPendingEnqueueMany(tenantId: string, ids: string[], owner: string): Promise<number> {
    if (ids.length === 0) return 0;
    const commit = this.sql.get(COMMIT_PENDING);
    return this.groupCommit.run(() => ids.reduce((n, id) => n + commit.run(tenantId, id, owner).changes, 0));
  }

  async removePendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean> {
    // As remove(): the caller is told nothing was stored, so the bytes are overwritten too.
    const files = this.filesOf(tenantId, id);
    const removed = this.withSecureDelete(() =>
      this.sql.get('DELETE FROM emails WHERE tenant_id = ? AND id = ? AND pending_owner = ?').run(tenantId, id, owner),
    );
    if (removed.changes !== 1) return false;
    this.segments.erase(files);
    return true;
  }

  async list(tenantId: string, query: HistoryQuery): Promise<HistoryPage> {
    const filter = toHistoryFilter(tenantId, query);
    const { sql, params } = historySql(filter, this.chooseRange(filter));
    const rows = this.sql.get(sql).all(params) as DocRow[];
    return toHistoryPage(
      rows.map((r) => JSON.parse(r.doc) as EmailRecord),
      filter.limit,
    );
  }

  /**
   * The candidate range with the fewest rows (each counted up to PROBE_CAP): walking the rarest value
   * and checking the others on its rows reads the fewest rows before the page is full (decision 0036).
   */
  private chooseRange(filter: HistoryFilter): HistoryRange {
    const candidates = candidateRanges(filter);
    if (candidates.length === 1) return candidates[0];
    let best = candidates[0];
    let fewest = Infinity;
    for (const range of candidates) {
      const { sql, params } = probeSql(filter, range, PROBE_CAP);
      const { n } = this.sql.get(sql).get(params) as { n: number };
      if (n < fewest) [best, fewest] = [range, n];
    }
    return best;
  }

  async listAwaitingSend(dueBefore: string, limit: number): Promise<EmailRef[]> {
    return this.sql
      .get(
        `SELECT tenant_id AS tenantId, id FROM emails WHERE send_due_at IS NOT NULL AND send_due_at < ? ORDER BY send_due_at, id LIMIT ?`,
      )
      .all(dueBefore, limit) as EmailRef[];
  }

  async listContentToPurge(finalBefore: string, limit: number): Promise<EmailRef[]> {
    return this.sql
      .get(
        `SELECT tenant_id AS tenantId, id FROM emails
         WHERE final_at IS NOT NULL AND content_purged_at IS NULL AND final_at <= ? ORDER BY final_at, id LIMIT ?`,
      )
      .all(finalBefore, limit) as EmailRef[];
  }

  /**
   * One IMMEDIATE transaction: each email is checked again under the write lock, so a second worker
   * finds it purged, and a retry that re-queued it since it was listed keeps its content. It runs with
   * secure_delete, so the deleted rows are overwritten with zeros in the pages that held them; the WAL
   * checkpoint afterwards writes those pages into the database file and empties the WAL, so no earlier
   * copy of the bytes survives there either (tried again for a few seconds while another connection
   * keeps it busy: sqlite-purge-checkpoint.ts). Attachment bytes in content segments are overwritten with
   * zeros inside the transaction (cheap: no flush) and flushed after the commit, outside the write lock;
   * then segments no row names any more are deleted.
   */
  async purgeContent(emails: EmailRef[], finalBefore: string, at: string): Promise<EmailRef[]> {
    const zeroed: string[] = [];
    const purged = this.withSecureDelete(() =>
      this.db
        .transaction(() =>
          emails.filter(({ tenantId, id }) => {
            const row = this.sql
              .get('SELECT doc FROM emails WHERE tenant_id = ? AND id = ? AND content_purged_at IS NULL AND final_at <= ?')
              .get(tenantId, id, finalBefore) as DocRow | undefined;
            if (!row) return false;
            const files = this.filesOf(tenantId, id);
            this.segments.zero(files);
            zeroed.push(...files);
            this.sql.get('DELETE FROM email_attachments WHERE email_id = ?').run(id);
            this.sql.get('DELETE FROM email_contents WHERE email_id = ?').run(id);
            const doc = JSON.stringify({ ...(JSON.parse(row.doc) as EmailRecord), contentPurgedAt: at });
            this.sql.get('UPDATE emails SET content_purged_at = ?, doc = ? WHERE id = ?').run(at, doc, id);
            return true;
          }),
        )
        .immediate(),
    );
    this.segments.flush(zeroed);
    if (purged.length > 0) {
      this.segments.sweep((segment) => this.sql.get(SEGMENT_NAMED).get(`${segment}:`, `${segment};`) !== undefined, Date.parse(at));
      emptyWalAfterPurge(this.db, this.logger);
    }
    return purged;
  }

  /**
   * Deleted content is overwritten with zeros, not merely unlinked from the b-tree, where its bytes
   * would stay readable in free pages (decision 0016). Only around the statements that delete content
   * (the purge, and remove() undoing an enqueue): on for the whole connection it would also zero what
   * every update of a record frees, work nobody needs on the busiest path.
   */
  private withSecureDelete<T>(work: () => T): T {
    this.db.pragma('secure_delete = ON');
    try {
      return work();
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
  }

  private filesOf(tenantId: string, id: string): string[] {
    return (this.sql.get(FILES_OF).all(tenantId, id) as { file: string }[]).map((r) => r.file);
  }

  private read(tenantId: string, id: string): EmailRecord | null {
    const row = this.sql.get('SELECT doc FROM emails WHERE tenant_id = ? AND id = ?').get(tenantId, id) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as EmailRecord) : null;
  }
}
