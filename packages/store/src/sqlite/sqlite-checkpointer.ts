import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { StoreLogger } from '../store-logger';

/**
 * What the thread runs: plain JavaScript (no loader needed), with its own connection to the file. A
 * PASSIVE checkpoint copies what it can of the WAL into the database and never waits for, nor blocks,
 * a reader or a writer; one already running elsewhere (another process's) makes this one a no-op.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('wal_autocheckpoint = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch (e) {
    parentPort.postMessage(String((e && e.message) || e));
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop (decision 0045). With SQLite's automatic checkpoint, the commit
 * that took the WAL past `wal_autocheckpoint` pages (10,000: 40 MB) copied them all into the database
 * and synced it, inside that commit, on the process's only thread: 115-220 ms during which the API
 * answered nobody, every few seconds under a steady enqueue rate, which was the whole of the single
 * enqueue's p99. This connection's automatic checkpoint is turned off and a thread with its own
 * connection checkpoints every `everyMs`. If the thread fails, `onFailure` runs (the store turns the
 * automatic checkpoint back on: the WAL never grows without bound).
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private closed = false;

  constructor(filename: string, logger: StoreLogger, onFailure: () => void, everyMs = 250) {
    this.worker = new Worker(THREAD, { eval: true, workerData: { filename, everyMs, driver: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (message: string) =>
      logger.warn({ store: 'sqlite', file: filename, error: message }, 'WAL checkpoint failed; the next one tries again'),
    );
    const failed = (reason: string) => {
      if (this.closed) return;
      this.closed = true;
      logger.error({ store: 'sqlite', file: filename, error: reason }, 'the WAL checkpoint thread stopped; commits checkpoint again');
      onFailure();
    };
    this.worker.on('error', (e) => failed(e.message));
    this.worker.on('exit', (code) => failed(`exited with ${code}`));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = once(this.worker, 'exit');
    // Unref'd so it never keeps a process alive; while closing it must, or a process with nothing else
    // left to do exits before the thread does and `close()` never returns (a command's exit code lost).
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}
