import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store, StoreDiskUsage } from '../store.port';
import { silentStoreLogger, StoreLogger } from '../store-logger';
import { migrateSqliteSchema } from './sqlite-schema';
import { SqliteStatements } from './sqlite-statements';
import { SqliteTenantStore } from './sqlite-tenant-store';
import { SqliteSettingsStore } from './sqlite-settings-store';
import { SqliteEmailStore } from './sqlite-email-store';
import { SqliteContentSegments } from './sqlite-content-segments';
import { SqliteSuppressionStore } from './sqlite-suppression-store';
import { SqliteCheckpointer } from './sqlite-checkpointer';

/** SQLite's automatic checkpoint, when this connection does its own (`:memory:`, or the thread failed): 40 MB of WAL. */
const AUTOCHECKPOINT_PAGES = 10000;

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` (one connection only: tests). */
  filename: string;
  logger?: StoreLogger;
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  /**
   * Where attachments' bytes live (sqlite-content-segments.ts): `<filename>.content` beside the file by
   * default; for `:memory:`, a temporary folder removed at close.
   */
  contentDir?: string;
}

/**
 * The embedded single-machine store. API, worker and webhooks open the same file: WAL lets readers
 * run beside the one writer, busy_timeout makes writers queue rather than fail, and every
 * read-modify-write runs in an IMMEDIATE transaction (the write lock is taken before the read).
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly tenants: SqliteTenantStore;
  readonly settings: SqliteSettingsStore;
  readonly emails: SqliteEmailStore;
  readonly suppressions: SqliteSuppressionStore;
  private readonly db: Database.Database;
  private readonly logger: StoreLogger;
  private readonly filename: string;
  private readonly temporaryContentDir?: string;
  private readonly segments: SqliteContentSegments;
  private readonly checkpointer?: SqliteCheckpointer;

  constructor(options: SqliteStoreOptions) {
    this.logger = options.logger ?? silentStoreLogger;
    this.filename = options.filename;
    if (options.filename !== ':memory:') mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });
    this.db = new Database(options.filename);
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // The group commit runs each write in a savepoint (sqlite-group-commit.ts): a page an earlier write
    // of the batch dirtied is copied to the statement sub-journal before the next write changes it. Past
    // 64 KiB (a few writes: eight indexes on `emails`) SQLite spills that sub-journal to a temporary
    // file, opened, unlinked, written and closed again at every commit on the event loop (over 2,000
    // enqueues: 4.4 times the pwrite64 calls and 200 more unlinks, decision 0046). In memory, it is a copy. It only ever serves
    // a ROLLBACK TO inside the open transaction; a crash loses it either way (WAL recovery never reads
    // it). Temporary tables and sorts go to memory too; every query here is index-ordered with a LIMIT.
    this.db.pragma('temp_store = MEMORY');
    if (options.filename === ':memory:') this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    else {
      // Checkpoints in a thread of their own (sqlite-checkpointer.ts); commits stop doing them.
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new SqliteCheckpointer(path.resolve(options.filename), this.logger, () => {
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      });
    }
    const statements = new SqliteStatements(this.db);
    if (!options.contentDir && options.filename === ':memory:')
      this.temporaryContentDir = mkdtempSync(path.join(tmpdir(), 'mailroom-content-'));
    this.segments = new SqliteContentSegments(
      options.contentDir ?? this.temporaryContentDir ?? `${path.resolve(options.filename)}.content`,
    );
    this.tenants = new SqliteTenantStore(statements);
    this.settings = new SqliteSettingsStore(this.db, statements);
    this.emails = new SqliteEmailStore(this.db, statements, this.segments, this.logger, busyTimeoutMs);
    this.suppressions = new SqliteSuppressionStore(this.db, statements);
  }

  async init(): Promise<void> {
    const { from, to } = migrateSqliteSchema(this.db);
    if (from !== to) this.logger.info({ store: 'sqlite', file: this.filename, from, to }, 'store schema migrated');
  }

  async diskUsage(): Promise<StoreDiskUsage> {
    const size = (file: string) =>
      stat(file).then(
        (st) => st.size,
        () => 0,
      );
    const onDisk = this.filename !== ':memory:';
    const [database, wal, content] = await Promise.all([
      onDisk ? size(this.filename) : 0,
      onDisk ? size(`${this.filename}-wal`) : 0,
      this.segments.bytes(),
    ]);
    return { database, wal, content };
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
    this.segments.close();
    if (this.temporaryContentDir) rmSync(this.temporaryContentDir, { recursive: true, force: true });
  }
}
