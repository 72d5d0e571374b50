import type Database from 'better-sqlite3';
import type { StoreLogger } from '../store-logger';

/** A busy checkpoint after a purge is tried again after these delays (about 9 s in all). */
const RETRY_MS = [50, 200, 500, 1000, 2000, 5000];

/**
 * Empties the WAL after a content purge, so no earlier copy of the purged bytes stays in it (decision
 * 0016). Another connection's checkpoint (each app's checkpointer thread runs one every 250 ms) or a
 * reader still on an older snapshot makes it busy: it is tried again after RETRY_MS, on a timer, and
 * only after the last try left to the next purge, with a warning.
 */
export function emptyWalAfterPurge(db: Database.Database, logger: StoreLogger, attempt = 0): void {
  if (!db.open) return;
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (!result || result.busy === 0) return;
  const delay = RETRY_MS[attempt];
  if (delay === undefined) {
    logger.warn(
      { store: 'sqlite', ...result, tries: attempt + 1 },
      'WAL checkpoint after a content purge could not finish (another connection stayed busy); the next purge tries again',
    );
    return;
  }
  setTimeout(() => emptyWalAfterPurge(db, logger, attempt + 1), delay).unref();
}
