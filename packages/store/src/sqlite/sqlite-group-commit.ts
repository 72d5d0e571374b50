import type Database from 'better-sqlite3';

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most writes one transaction takes: the write lock is held while they run, other processes wait. */
const MAX_BATCH = 256;
/** Between two tries for a write lock another process holds: the event loop runs meanwhile. */
const RETRY_MS = [1, 1, 2, 2, 3, 5];

/**
 * Group commit: writes asked for in the same turn of the event loop (a provider's batch of events, the
 * concurrent requests of a busy webhooks app or API, a worker's concurrent sends) share one IMMEDIATE
 * transaction instead of paying a BEGIN and a COMMIT (a WAL append) each, which was two thirds of an
 * update's cost (decision 0037). Each write still runs alone in a savepoint: one that throws is rolled
 * back by itself and rejects its own caller; the others commit. A caller is answered only after the
 * commit, so what it was told is on disk (as durable as WAL with synchronous=NORMAL makes a commit).
 * A write awaited alone waits one setImmediate for company and goes alone.
 *
 * The write lock is taken without blocking (decision 0042): while another process holds it, SQLite's
 * busy handler would put the whole process to sleep (1, 2, 5, 10 ms... the API answering nobody, the
 * worker's SMTP sockets unread), so the BEGIN IMMEDIATE is tried with no busy timeout, and a busy lock
 * is tried again after a timer while the event loop serves everything else and more writes join the
 * batch. Past `busyTimeoutMs` of trying, one last BEGIN waits in SQLite's busy handler as before, and
 * fails the batch if that times out too.
 */
export class SqliteGroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  /** Each write's savepoint, prepared once: db.transaction(work) builds four wrapper functions per call. */
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;
  /** Prepared once: db.pragma() prepares its statement at every call. */
  private readonly noWait: Database.Statement;
  private readonly wait: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT group_write');
    this.release = db.prepare('RELEASE group_write');
    this.rollbackTo = db.prepare('ROLLBACK TO group_write');
    this.noWait = db.prepare('PRAGMA busy_timeout = 0');
    this.wait = db.prepare(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush(Date.now(), 0));
      }
    });
  }

  private flush(firstTry: number, tries: number): void {
    const outOfPatience = Date.now() - firstTry >= this.busyTimeoutMs;
    try {
      if (!this.lock(outOfPatience)) {
        setTimeout(() => this.flush(firstTry, tries + 1), RETRY_MS[Math.min(tries, RETRY_MS.length - 1)]);
        return;
      }
    } catch (error) {
      // Busy past busy_timeout even in SQLite's own handler: nothing of the batch was written.
      this.settleAll(this.queue.splice(0, MAX_BATCH), error);
      this.next();
      return;
    }
    const batch = this.queue.splice(0, MAX_BATCH);
    this.next();
    const settled: (() => void)[] = [];
    try {
      for (const q of batch) {
        try {
          const value = this.inSavepoint(q.work);
          settled.push(() => q.resolve(value));
        } catch (error) {
          settled.push(() => q.reject(error));
        }
      }
      this.commit.run();
    } catch (error) {
      // The COMMIT failed: nothing of the batch was written.
      if (this.db.inTransaction) this.rollback.run();
      this.settleAll(batch, error);
      return;
    }
    for (const settle of settled) settle();
  }

  /**
   * One write inside the open transaction, in its own savepoint: rolled back alone when it throws. A
   * transaction SQLite itself rolled back (a full disk) is not quietly replaced by a new one here (a
   * SAVEPOINT outside a transaction would start and RELEASE commit one): the write fails, and so does
   * the COMMIT after it, for the whole batch.
   */
  private inSavepoint(work: () => unknown): unknown {
    if (!this.db.inTransaction) throw new Error('the group commit transaction was rolled back by SQLite');
    this.savepoint.run();
    try {
      const value = work();
      this.release.run();
      return value;
    } catch (error) {
      if (this.db.inTransaction) {
        this.rollbackTo.run();
        this.release.run();
      }
      throw error;
    }
  }

  /** BEGIN IMMEDIATE; false when another connection holds the write lock (unless `wait`: then SQLite's busy handler waits). */
  private lock(wait: boolean): boolean {
    if (wait) return (void this.begin.run(), true);
    this.noWait.get();
    try {
      this.begin.run();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw error;
    } finally {
      this.wait.get();
    }
  }

  private next(): void {
    if (this.queue.length > 0) setImmediate(() => this.flush(Date.now(), 0));
    else this.scheduled = false;
  }

  private settleAll(batch: Queued[], error: unknown): void {
    for (const q of batch) q.reject(error);
  }
}
