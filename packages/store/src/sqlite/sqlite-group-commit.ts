import type Database from 'better-sqlite3';

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most writes one transaction takes: the write lock is held while they run, other processes wait. */
const MAX_BATCH = 256;

/**
 * Group commit: writes asked for in the same turn of the event loop (a provider's batch of events, the
 * concurrent requests of a busy webhooks app, a worker's concurrent sends) share one IMMEDIATE
 * transaction instead of paying a BEGIN and a COMMIT (a WAL append) each, which was two thirds of an
 * update's cost (decision 0037). Each write still runs alone in a savepoint: one that throws is rolled
 * back by itself and rejects its own caller; the others commit. A caller is answered only after the
 * commit, so what it was told is on disk (as durable as WAL with synchronous=NORMAL makes a commit).
 * A write awaited alone waits one setImmediate for company and goes alone.
 */
export class SqliteGroupCommit {
  private queue: Queued[] = [];

  constructor(private readonly db: Database.Database) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) setImmediate(() => this.flush());
    const settled: (() => void)[] = [];
    try {
      this.db
        .transaction(() => {
          for (const q of batch) {
            try {
              const value = this.db.transaction(q.work)();
              settled.push(() => q.resolve(value));
            } catch (error) {
              settled.push(() => q.reject(error));
            }
          }
        })
        .immediate();
    } catch (error) {
      // The BEGIN (busy past busy_timeout) or the COMMIT failed: nothing of the batch was written.
      for (const q of batch) q.reject(error);
      return;
    }
    for (const settle of settled) settle();
  }
}
